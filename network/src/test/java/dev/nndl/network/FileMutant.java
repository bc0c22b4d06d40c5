package dev.nndl.network;

import dev.nndl.spi.BadFileException;
import dev.nndl.testing.Gen;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * A damaged copy of a valid file, for the fuzz tests: the seed file's name, the bytes, and the
 * mutations that made them, which is how a case prints in a failure report. {@link #gen} tries
 * the edges first (the file cut at each of its boundaries, each big-endian int field set to each
 * of {@link #INTERESTING_INTS}), then one to three random mutations each: a bit flipped, a byte
 * set to 0, 1, 0x7f, 0x80 or 0xff, an interesting int written, a cut, random bytes inserted, a
 * range duplicated or deleted.
 */
public record FileMutant(String seed, byte[] bytes, List<String> mutations) {

    /** A valid file to mutate: where its fields begin (cuts are tried there) and which of them are 4-byte big-endian ints. */
    public record Seed(String name, byte[] bytes, int[] boundaries, int[] intFields) {}

    static final int[] INTERESTING_BYTES = {0, 1, 0x7f, 0x80, 0xff};
    public static final int[] INTERESTING_INTS = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000, 26_000, 1 << 20, 0x7ffffff0,
            Integer.MAX_VALUE, Integer.MIN_VALUE};

    @Override
    public String toString() {
        return seed + " with " + String.join(", ", mutations) + " (" + bytes.length + " bytes)";
    }

    /**
     * Mutants of {@code seeds}; {@code finish} turns mutated bytes into the file (e.g. re-seals a
     * checksum, or gzips), and {@code extraEdges} are tried after the generated edges.
     */
    public static Gen<FileMutant> gen(List<Seed> seeds, UnaryOperator<byte[]> finish, List<FileMutant> extraEdges) {
        return new Gen<>() {
            @Override
            public FileMutant draw(Random random) {
                Seed seed = seeds.get(random.nextInt(seeds.size()));
                byte[] bytes = seed.bytes().clone();
                List<String> log = new ArrayList<>();
                for (int n = 1 + random.nextInt(3); n > 0; n--) bytes = mutate(bytes, seed.intFields(), random, log);
                return new FileMutant(seed.name(), finish.apply(bytes), log);
            }

            @Override
            public List<FileMutant> edges() {
                List<FileMutant> edges = new ArrayList<>();
                for (Seed seed : seeds) {
                    edges.add(new FileMutant(seed.name(), finish.apply(seed.bytes().clone()), List.of("nothing")));
                    for (int cut : seed.boundaries()) {
                        if (cut <= seed.bytes().length) edges.add(new FileMutant(seed.name(), finish.apply(Arrays.copyOf(seed.bytes(), cut)), List.of("cut to " + cut)));
                    }
                    for (int at : seed.intFields()) {
                        for (int v : INTERESTING_INTS) {
                            byte[] b = seed.bytes().clone();
                            ByteBuffer.wrap(b).putInt(at, v);
                            edges.add(new FileMutant(seed.name(), finish.apply(b), List.of("int " + v + " at " + at)));
                        }
                    }
                }
                edges.addAll(extraEdges);
                return edges;
            }
        };
    }

    /** What reading a mutant may do: succeed, or throw a one-line {@link BadFileException} that starts with the file. */
    public interface Read {
        void run() throws Exception;
    }

    /** Runs {@code read} of {@code file}; any other outcome fails with the exception as its cause. */
    public static void readsOrRefuses(Path file, Read read) throws Exception {
        try {
            read.run();
        } catch (BadFileException e) {
            if (!e.getMessage().startsWith(file + ": ") || e.getMessage().contains("\n")) {
                throw new AssertionError("not one line naming " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static byte[] mutate(byte[] b, int[] intFields, Random random, List<String> log) {
        int at = b.length == 0 ? 0 : random.nextInt(b.length), n = 1 + random.nextInt(16);
        switch (b.length == 0 ? 4 : random.nextInt(7)) {
            case 0 -> {
                int bit = random.nextInt(8);
                b[at] ^= (byte) (1 << bit);
                log.add("bit " + bit + " flipped at " + at);
            }
            case 1 -> {
                int v = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
                b[at] = (byte) v;
                log.add(String.format("byte 0x%02x at %d", v, at));
            }
            case 2 -> {
                int v = INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
                int where = intFields.length > 0 && random.nextBoolean() ? intFields[random.nextInt(intFields.length)] : Math.min(at, b.length - 4);
                if (where < 0 || where + 4 > b.length) return b;
                ByteBuffer.wrap(b).putInt(where, v);
                log.add("int " + v + " at " + where);
            }
            case 3 -> {
                log.add("cut to " + at);
                return Arrays.copyOf(b, at);
            }
            case 4 -> {
                byte[] inserted = new byte[n];
                random.nextBytes(inserted);
                log.add("bytes " + HexFormat.of().formatHex(inserted) + " inserted at " + at);
                return splice(b, at, 0, inserted);
            }
            case 5 -> {
                int to = Math.min(b.length, at + n);
                log.add("bytes " + at + ".." + to + " duplicated");
                return splice(b, to, 0, Arrays.copyOfRange(b, at, to));
            }
            default -> {
                int to = Math.min(b.length, at + n);
                log.add("bytes " + at + ".." + to + " deleted");
                return splice(b, at, to - at, new byte[0]);
            }
        }
        return b;
    }

    /** {@code b} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    private static byte[] splice(byte[] b, int at, int removed, byte[] inserted) {
        byte[] out = new byte[b.length - removed + inserted.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(b, at + removed, out, at + inserted.length, b.length - at - removed);
        return out;
    }
}
