package dev.nndl.network.train;

import dev.nndl.network.Network;
import dev.nndl.network.layer.Layer;
import dev.nndl.spi.BadFileException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A training run frozen after an epoch: its plan, the metrics so far, the step count (which
 * seeds dropout), every parameter and, for a run with momentum, every velocity, bit for bit.
 * Resuming from it continues the run exactly as if it had never stopped.
 *
 * <p>File format (big-endian, {@link DataOutputStream}): the magic {@code NNDLCKPT}, a format
 * version, the plan (version 2 adds the momentum and the schedule), the backend that wrote it, the
 * step count, the epochs' metrics, then each parameter's length and floats, then (version 2) the
 * velocities the same way, none without momentum; last, the SHA-256 of everything before it.
 * Version 1 files, from before momentum, still read; other versions are refused, naming theirs.
 *
 * <p>{@link #write} streams the file through SHA-256 and a 1 MiB buffer into a temporary file
 * beside the target, forces it to disk and renames it over the target, so a crash mid-write
 * leaves the previous checkpoint whole; {@link #read} checks the SHA-256 in one pass over the file
 * and parses it in a second. Neither holds the file in memory, so a checkpoint costs the heap
 * little beyond its arrays, and may be larger than 2 GB.
 */
public record Checkpoint(Plan plan, String backend, long steps, List<Epoch> history, List<float[]> parameters, List<float[]> velocities) {

    private static final byte[] MAGIC = "NNDLCKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2;
    private static final int DIGEST_BYTES = 32;
    /** Bytes one epoch's metrics take: the epoch and six doubles. */
    private static final int EPOCH_BYTES = 4 + 6 * 8;
    /** Floats converted to or from bytes at a time: 256 KiB. */
    static final int CHUNK_FLOATS = 1 << 16;
    /** The buffers of {@link #read}: the checksum's pass, and the parser's below its chunks. */
    private static final int VERIFY_BUFFER = 1 << 20, READ_BUFFER = 1 << 16;

    public Checkpoint {
        history = List.copyOf(history);
        parameters = List.copyOf(parameters);
        velocities = List.copyOf(velocities);
        if (!velocities.isEmpty() && velocities.size() != parameters.size()) {
            throw new IllegalArgumentException(velocities.size() + " velocities for " + parameters.size() + " parameter arrays");
        }
    }

    /** The state of {@code network} after {@code history}'s epochs, its parameters copied from the device. */
    public static Checkpoint of(Plan plan, String backend, Network network, List<Epoch> history) {
        Checkpoint live = live(plan, backend, network, history);
        return new Checkpoint(plan, backend, live.steps, history, live.parameters.stream().map(float[]::clone).toList(),
                live.velocities.stream().map(float[]::clone).toList());
    }

    /**
     * As {@link #of}, but holding the network's own arrays rather than copies, for a checkpoint that
     * is written at once: it costs no memory, and changes as soon as the network trains again.
     */
    static Checkpoint live(Plan plan, String backend, Network network, List<Epoch> history) {
        List<float[]> values = new ArrayList<>(), velocities = new ArrayList<>();
        for (Layer.Parameter p : network.parameters()) {
            values.add(p.value());
            if (plan.momentum() != 0) velocities.add(p.velocity());
        }
        network.kernels().download(values.toArray(float[][]::new));
        network.kernels().download(velocities.toArray(float[][]::new));
        return new Checkpoint(plan, backend, network.steps(), history, values, velocities);
    }

    /** Epochs completed. */
    public int epochs() {
        return history.size();
    }

    /** Copies the parameters and the step count into {@code network}, which must be built from the same plan. */
    public void restore(Network network, Path from) throws CorruptCheckpointException {
        List<Layer.Parameter> params = network.parameters();
        if (params.size() != parameters.size()) {
            throw new CorruptCheckpointException(from, "holds " + parameters.size() + " parameter arrays where " + plan.model().id() + " has " + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            float[] into = params.get(i).value(), saved = parameters.get(i);
            if (into.length != saved.length) {
                throw new CorruptCheckpointException(from, params.get(i).name() + " of layer " + i + " has " + saved.length + " values where "
                        + plan.model().id() + " has " + into.length);
            }
            System.arraycopy(saved, 0, into, 0, into.length);
            network.kernels().upload(into);
            if (!velocities.isEmpty()) {
                float[] velocity = params.get(i).velocity();
                System.arraycopy(velocities.get(i), 0, velocity, 0, velocity.length);
                network.kernels().upload(velocity);
            }
        }
        network.resumeAt(steps);
    }

    /** A network of the checkpoint's plan on {@code kernels}, holding its weights ({@code from} names the file in errors). */
    public Network network(dev.nndl.spi.KernelSet kernels, Path from) throws CorruptCheckpointException {
        return network(kernels, from, plan.batch());
    }

    /** As {@link #network(dev.nndl.spi.KernelSet, Path)}, for mini-batches of {@code batch} images (the weights do not depend on it). */
    public Network network(dev.nndl.spi.KernelSet kernels, Path from, int batch) throws CorruptCheckpointException {
        Network network = plan.model().build(kernels, batch, plan.seed());
        restore(network, from);
        return network;
    }

    /** Writes the checkpoint to {@code file} through a temporary file and an atomic rename. */
    public void write(Path file) throws IOException {
        write(file, CHUNK_FLOATS);
    }

    /**
     * {@link #write(Path)} with the floats of each array converted {@code chunkFloats} at a time
     * (a test makes arrays span several chunks).
     */
    void write(Path file, int chunkFloats) throws IOException {
        RunFiles.writeAtomically(file, stream -> {
            MessageDigest sha = sha256();
            DataOutputStream out = new DataOutputStream(new DigestOutputStream(stream, sha));
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(plan.model().id());
            out.writeInt(plan.epochs());
            out.writeInt(plan.batch());
            out.writeFloat(plan.eta());
            out.writeFloat(plan.lambda());
            out.writeLong(plan.seed());
            out.writeFloat(plan.momentum());
            out.writeUTF(plan.schedule().spec());
            out.writeUTF(backend);
            out.writeLong(steps);
            out.writeInt(history.size());
            for (Epoch e : history) {
                out.writeInt(e.epoch());
                out.writeDouble(e.trainCost());
                out.writeDouble(e.validationAccuracy());
                out.writeDouble(e.testAccuracy());
                out.writeDouble(e.imagesPerSecond());
                out.writeDouble(e.trainSeconds());
                out.writeDouble(e.evalSeconds());
            }
            byte[] chunk = chunk(chunkFloats, parameters);
            writeArrays(out, parameters, chunk);
            writeArrays(out, velocities, chunk);
            stream.write(sha.digest());
        });
    }

    /**
     * Reads and verifies a checkpoint; a damaged file gets a {@link CorruptCheckpointException} and
     * is left as it is. Only a regular file is read, never more than its length, and every count
     * in it is checked against the bytes left before anything of that size is allocated. Memory:
     * the arrays it returns, and buffers of a few hundred kilobytes: the file is read twice, once
     * through SHA-256 and then, if that matches, parsed.
     */
    public static Checkpoint read(Path file) throws IOException {
        return read(file, CHUNK_FLOATS);
    }

    /** {@link #read(Path)}, converting floats {@code chunkFloats} at a time. */
    static Checkpoint read(Path file, int chunkFloats) throws IOException {
        if (!Files.isRegularFile(file)) throw new CorruptCheckpointException(file, "is not a regular file (a device, a pipe or a folder)");
        // one open file for both passes: a checkpoint renamed over this one meanwhile is not mixed into it
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long body = verify(file, channel);
            channel.position(MAGIC.length);
            Remaining left = new Remaining(new BufferedInputStream(Channels.newInputStream(channel), READ_BUFFER), body - MAGIC.length);
            return parse(file, new DataInputStream(left), left, chunkFloats);
        }
    }

    /**
     * Checks the magic and streams everything before the last {@value #DIGEST_BYTES} bytes through
     * SHA-256, reading no further than the length the file had when it was opened; returns the
     * length of that body.
     */
    private static long verify(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, VERIFY_BUFFER));
        if (size < MAGIC.length + DIGEST_BYTES || !Arrays.equals(fill(file, channel, buffer, MAGIC.length), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptCheckpointException(file, "is not an nndl checkpoint (it does not start with " + new String(MAGIC, StandardCharsets.US_ASCII) + ")");
        }
        MessageDigest sha = sha256();
        sha.update(buffer.array(), 0, MAGIC.length);
        long body = size - DIGEST_BYTES;
        for (long done = MAGIC.length; done < body; ) {
            int n = (int) Math.min(buffer.capacity(), body - done);
            sha.update(fill(file, channel, buffer, n), 0, n);
            done += n;
        }
        byte[] trailer = Arrays.copyOf(fill(file, channel, buffer, DIGEST_BYTES), DIGEST_BYTES);
        if (!MessageDigest.isEqual(sha.digest(), trailer)) {
            throw new CorruptCheckpointException(file, "does not match its SHA-256 (truncated or changed since it was written)");
        }
        return body;
    }

    /** The next {@code n} bytes of the channel at the start of {@code buffer}'s array. */
    private static byte[] fill(Path file, FileChannel channel, ByteBuffer buffer, int n) throws IOException {
        buffer.clear().limit(n);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) throw new CorruptCheckpointException(file, "became shorter while it was read (another program is writing it?)");
        }
        return buffer.array();
    }

    /** The contents after the magic, {@code left} counting down the bytes before the digest. */
    private static Checkpoint parse(Path file, DataInputStream in, Remaining left, int chunkFloats) throws IOException {
        try {
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
                throw new CorruptCheckpointException(file, "has format version " + version + "; this nndl reads versions 1 and " + VERSION);
            }
            Plan plan;
            try {
                var model = dev.nndl.network.Model.of(in.readUTF());
                int epochs = in.readInt(), batch = in.readInt();
                float eta = in.readFloat(), lambda = in.readFloat();
                long seed = in.readLong();
                plan = version == 1 ? new Plan(model, epochs, batch, eta, lambda, seed)
                        : new Plan(model, epochs, batch, eta, lambda, seed, in.readFloat(), Schedule.parse(in.readUTF()));
            } catch (IllegalArgumentException e) {
                throw new CorruptCheckpointException(file, "holds an impossible plan: " + e.getMessage());
            }
            String backend = in.readUTF();
            long steps = in.readLong();
            if (steps < 0) throw new CorruptCheckpointException(file, "holds a step count of " + steps);
            List<Epoch> history = new ArrayList<>();
            for (int i = count(in, left, file, EPOCH_BYTES, "epochs"); i > 0; i--) {
                history.add(new Epoch(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()));
                if (history.getLast().epoch() != history.size()) {
                    throw new CorruptCheckpointException(file, "holds epoch " + history.getLast().epoch() + " where epoch " + history.size() + " belongs");
                }
            }
            if (history.size() > plan.epochs()) {
                throw new CorruptCheckpointException(file, "holds " + history.size() + " epochs of a plan of " + plan.epochs());
            }
            byte[] chunk = new byte[4 * chunkFloats];
            List<float[]> parameters = readArrays(in, left, file, "parameter array", chunk);
            List<float[]> velocities = version == 1 ? List.of() : readArrays(in, left, file, "velocity array", chunk);
            if (velocities.size() != (plan.momentum() == 0 ? 0 : parameters.size())) {
                throw new CorruptCheckpointException(file, "holds " + velocities.size() + " velocity arrays for " + parameters.size()
                        + " parameter arrays and a momentum of " + plan.momentum());
            }
            for (int i = 0; i < velocities.size(); i++) {
                if (velocities.get(i).length != parameters.get(i).length) {
                    throw new CorruptCheckpointException(file, "holds " + velocities.get(i).length + " velocities for the " + parameters.get(i).length
                            + " values of parameter array " + i);
                }
            }
            if (left.left() > 0) throw new CorruptCheckpointException(file, "holds " + left.left() + " bytes after its contents");
            return new Checkpoint(plan, backend, steps, history, parameters, velocities);
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new CorruptCheckpointException(file, "ends before its contents do, though its checksum matches (written by another version?)");
        }
    }

    /** A count of items of at least {@code itemBytes} each, at most as many as the bytes left can hold. */
    private static int count(DataInputStream in, Remaining left, Path file, long itemBytes, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n * itemBytes > left.left()) {
            throw new CorruptCheckpointException(file, "declares " + n + " " + what + " where " + left.left() + " bytes are left");
        }
        return n;
    }

    /** A buffer for {@code chunkFloats} floats, or fewer if no array is that long. */
    private static byte[] chunk(int chunkFloats, List<float[]> arrays) {
        int longest = arrays.stream().mapToInt(a -> a.length).max().orElse(0);
        return new byte[4 * Math.max(1, Math.min(chunkFloats, longest))];
    }

    /** The count, then each array's length and its floats, big-endian, converted a chunk at a time. */
    private static void writeArrays(DataOutputStream out, List<float[]> arrays, byte[] chunk) throws IOException {
        FloatBuffer floats = ByteBuffer.wrap(chunk).asFloatBuffer();
        out.writeInt(arrays.size());
        for (float[] a : arrays) {
            out.writeInt(a.length);
            for (int from = 0; from < a.length; from += floats.capacity()) {
                int n = Math.min(floats.capacity(), a.length - from);
                floats.clear();
                floats.put(a, from, n);
                out.write(chunk, 0, 4 * n);
            }
        }
    }

    private static List<float[]> readArrays(DataInputStream in, Remaining left, Path file, String what, byte[] chunk) throws IOException {
        FloatBuffer floats = ByteBuffer.wrap(chunk).asFloatBuffer();
        List<float[]> arrays = new ArrayList<>();
        for (int i = count(in, left, file, 4, what + "s"); i > 0; i--) {
            float[] a = new float[count(in, left, file, 4, "values in " + what + " " + arrays.size())];
            for (int from = 0; from < a.length; from += floats.capacity()) {
                int n = Math.min(floats.capacity(), a.length - from);
                in.readFully(chunk, 0, 4 * n);
                floats.clear();
                floats.get(a, from, n);
                for (int e = from; e < from + n; e++) {
                    if (!Float.isFinite(a[e])) throw new CorruptCheckpointException(file, "holds " + a[e] + " in " + what + " " + arrays.size() + " at " + e);
                }
            }
            arrays.add(a);
        }
        return arrays;
    }

    /** A stream that ends after {@code left} bytes, and says how many are left. */
    private static final class Remaining extends FilterInputStream {
        private long left;

        Remaining(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        long left() {
            return left;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) return -1;
            int b = in.read();
            if (b >= 0) left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) return len == 0 ? 0 : -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }

        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("a checkpoint is read through");
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java has SHA-256", e);
        }
    }

    /** A checkpoint that cannot be used, with what is wrong and what to do. */
    public static final class CorruptCheckpointException extends BadFileException {
        public CorruptCheckpointException(Path file, String problem) {
            super(file, "checkpoint " + problem + "; it was left as it is: restore it from a copy, or delete it to start the run over");
        }
    }
}
