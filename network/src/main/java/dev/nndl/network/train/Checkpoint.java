package dev.nndl.network.train;

import dev.nndl.network.Network;
import dev.nndl.network.layer.Layer;
import dev.nndl.spi.BadFileException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Version 1 files, from before momentum, still read.
 * {@link #write} writes a temporary file beside the target, forces it to disk and renames it over
 * the target, so a crash mid-write leaves the previous checkpoint whole.
 */
public record Checkpoint(Plan plan, String backend, long steps, List<Epoch> history, List<float[]> parameters, List<float[]> velocities) {

    private static final byte[] MAGIC = "NNDLCKPT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int VERSION = 2;
    private static final int DIGEST_BYTES = 32;
    /** Bytes one epoch's metrics take: the epoch and six doubles. */
    private static final int EPOCH_BYTES = 4 + 6 * 8;

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
        List<float[]> values = new ArrayList<>(), velocities = new ArrayList<>();
        for (Layer.Parameter p : network.parameters()) {
            values.add(p.value());
            if (plan.momentum() != 0) velocities.add(p.velocity());
        }
        network.kernels().download(values.toArray(float[][]::new));
        network.kernels().download(velocities.toArray(float[][]::new));
        return new Checkpoint(plan, backend, network.steps(), history, values.stream().map(float[]::clone).toList(),
                velocities.stream().map(float[]::clone).toList());
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
        Network network = plan.model().build(kernels, plan.batch(), plan.seed());
        restore(network, from);
        return network;
    }

    /** Writes the checkpoint to {@code file} through a temporary file and an atomic rename. */
    public void write(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
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
            writeArrays(out, parameters);
            writeArrays(out, velocities);
        }
        byte[] body = bytes.toByteArray();
        byte[] file0 = Arrays.copyOf(body, body.length + DIGEST_BYTES);
        System.arraycopy(sha256(body, body.length), 0, file0, body.length, DIGEST_BYTES);
        RunFiles.writeAtomically(file, file0);
    }

    /**
     * Reads and verifies a checkpoint; a damaged file gets a {@link CorruptCheckpointException} and
     * is left as it is. Only a regular file is read, never more than its length, and every count
     * in it is checked against the bytes left before anything of that size is allocated.
     */
    public static Checkpoint read(Path file) throws IOException {
        byte[] all = readFile(file);
        if (all.length < MAGIC.length + DIGEST_BYTES || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptCheckpointException(file, "is not an nndl checkpoint (it does not start with " + new String(MAGIC, java.nio.charset.StandardCharsets.US_ASCII) + ")");
        }
        int body = all.length - DIGEST_BYTES;
        if (!Arrays.equals(sha256(all, body), 0, DIGEST_BYTES, all, body, all.length)) {
            throw new CorruptCheckpointException(file, "does not match its SHA-256 (truncated or changed since it was written)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, body - MAGIC.length))) {
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
            for (int i = count(in, file, EPOCH_BYTES, "epochs"); i > 0; i--) {
                history.add(new Epoch(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()));
                if (history.getLast().epoch() != history.size()) {
                    throw new CorruptCheckpointException(file, "holds epoch " + history.getLast().epoch() + " where epoch " + history.size() + " belongs");
                }
            }
            if (history.size() > plan.epochs()) {
                throw new CorruptCheckpointException(file, "holds " + history.size() + " epochs of a plan of " + plan.epochs());
            }
            List<float[]> parameters = readArrays(in, file, "parameter array");
            List<float[]> velocities = version == 1 ? List.of() : readArrays(in, file, "velocity array");
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
            if (in.available() > 0) throw new CorruptCheckpointException(file, "holds " + in.available() + " bytes after its contents");
            return new Checkpoint(plan, backend, steps, history, parameters, velocities);
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new CorruptCheckpointException(file, "ends before its contents do, though its checksum matches (written by another version?)");
        }
    }

    /** The whole of a regular file, read no further than its length: a FIFO or /dev/zero would never end. */
    private static byte[] readFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new CorruptCheckpointException(file, "is not a regular file (a device, a pipe or a folder)");
        try (java.io.InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) throw new CorruptCheckpointException(file, "is " + size + " bytes, more than any checkpoint");
            return in.readNBytes((int) size);
        }
    }

    /** A count of items of at least {@code itemBytes} each, at most as many as the bytes left can hold. */
    private static int count(DataInputStream in, Path file, long itemBytes, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n * itemBytes > in.available()) {
            throw new CorruptCheckpointException(file, "declares " + n + " " + what + " where " + in.available() + " bytes are left");
        }
        return n;
    }

    private static void writeArrays(DataOutputStream out, List<float[]> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (float[] a : arrays) {
            out.writeInt(a.length);
            for (float v : a) out.writeFloat(v);
        }
    }

    private static List<float[]> readArrays(DataInputStream in, Path file, String what) throws IOException {
        List<float[]> arrays = new ArrayList<>();
        for (int i = count(in, file, 4, what + "s"); i > 0; i--) {
            float[] a = new float[count(in, file, 4, "values in " + what + " " + arrays.size())];
            for (int e = 0; e < a.length; e++) {
                a[e] = in.readFloat();
                if (!Float.isFinite(a[e])) throw new CorruptCheckpointException(file, "holds " + a[e] + " in " + what + " " + arrays.size() + " at " + e);
            }
            arrays.add(a);
        }
        return arrays;
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
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
