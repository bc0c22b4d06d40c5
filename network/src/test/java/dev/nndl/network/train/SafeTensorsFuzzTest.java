package dev.nndl.network.train;

import static dev.nndl.network.FileMutant.readsOrRefuses;

import dev.nndl.network.FileMutant;
import dev.nndl.network.FileMutant.Seed;
import dev.nndl.network.Rung;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.KernelSet;
import dev.nndl.testing.Property;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated safetensors files must read into the tiny model's network, or end in a
 * BadFileException naming the file; the build runs this class with a 128 MB heap. The seeds are
 * a file nndl wrote and one the safetensors package wrote; the edges rewrite the header's length
 * and, keeping it right, the header's text: numbers, dtypes, names, brackets. A failure prints the
 * mutation and the seed; {@code -Dnndl.property.seed=N} draws the same inputs again.
 */
class SafeTensorsFuzzTest {

    @TempDir
    Path dir;

    /** Header edits: each replaces the first occurrence of a piece of the header's text. */
    private static final String[][] EDITS = {
        {"F32", "F16"}, {"F32", "f32"}, {"F32", ""}, {"\"F32\"", "32"}, {"[2,1,3,3]", "[]"}, {"[2,1,3,3]", "[2,1,3,3,1]"}, {"[2,1,3,3]", "[18]"},
        {"[2,1,3,3]", "[-2,1,3,3]"}, {"[2,1,3,3]", "[2.0,1,3,3]"}, {"[2,1,3,3]", "[9223372036854775807,2,2,2]"}, {"[2,1,3,3]", "[99999999999999999999]"},
        {"[0,72]", "[0,0]"}, {"[0,72]", "[72,0]"}, {"[0,72]", "[0,72,80]"}, {"[0,72]", "[0]"}, {"[0,72]", "[0,9223372036854775807]"},
        {"[0,72]", "[-8,64]"}, {"[0,72]", "\"0,72\""}, {"\"data_offsets\"", "\"offsets\""}, {"\"shape\"", "\"shape\":[1],\"x\""},
        {"\"conv1.weight\"", "\"conv1.bias\""}, {"\"conv1.weight\"", "\"\""}, {"\"conv1.weight\"", "\"__metadata__\""}, {"{", "["}, {"{", ""},
        {"}", "}}"}, {":", ""}, {",", ",,"}, {"\"", ""}, {"\"format\"", "\"format\\u0000\""}, {"\"pt\"", "\"\\ud800\""}, {"\"pt\"", "\"\\x\""},
        {"\"pt\"", "null"}, {"\"pt\"", "[\"pt\"]"}, {"{\"__metadata__\":{", "{\"__metadata__\":{\"deep\":" + "[".repeat(70) + "]".repeat(70) + ","},
    };

    /** The header lengths tried, as little-endian 8-byte fields, besides the file's own plus and minus one. */
    private static final long[] LENGTHS = {0, 1, 2, 7, 8, Integer.MAX_VALUE, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, -1, SafeTensors.MAX_HEADER + 1};

    @Test
    @Timeout(40)
    void mutantsReadIntoTheModelOrAreRefused() throws IOException {
        Path seedFile = dir.resolve("seed.safetensors");
        SafeTensorsTest.write(seedFile, new Checkpoint(new Plan(SafeTensorsTest.TINY, 1, 10, 0.1f, 0, 1), "cpu", 0, List.of(), SafeTensorsTest.numbered(), List.of()));
        byte[] nndl = Files.readAllBytes(seedFile), python;
        try (var in = SafeTensorsFuzzTest.class.getResourceAsStream("tiny-python.safetensors")) {
            python = in.readAllBytes();
        }
        List<Seed> seeds = List.of(seed("written by nndl", nndl), seed("written by safetensors", python));
        List<FileMutant> edges = new ArrayList<>();
        for (Seed seed : seeds) {
            String header = SafeTensorsTest.header(write(seedFile, seed.bytes()));
            for (String[] edit : EDITS) {
                if (!header.contains(edit[0])) continue;
                SafeTensorsTest.withHeader(write(seedFile, seed.bytes()), header.replaceFirst(java.util.regex.Pattern.quote(edit[0]),
                        java.util.regex.Matcher.quoteReplacement(edit[1])));
                edges.add(new FileMutant(seed.name(), Files.readAllBytes(seedFile), List.of("header " + edit[0] + " -> " + edit[1])));
            }
            long own = header.getBytes(StandardCharsets.UTF_8).length;
            for (long n : lengths(own)) {
                byte[] b = seed.bytes().clone();
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
                edges.add(new FileMutant(seed.name(), b, List.of("header length " + n)));
            }
        }
        Path file = dir.resolve("weights.safetensors");
        try (KernelSet kernels = new ReferenceKernels()) {
            Property.check("safetensors mutants", 1200, FileMutant.gen(seeds, b -> b, edges), m -> {
                Files.write(file, m.bytes());
                readsOrRefuses(file, () -> {
                    // what --init does with the weights: copies them into a network of the model
                    List<float[]> weights = SafeTensors.read(file, SafeTensorsTest.TINY).parameters();
                    var params = SafeTensorsTest.TINY.build(kernels, 1, 1).parameters();
                    for (int i = 0; i < params.size(); i++) System.arraycopy(weights.get(i), 0, params.get(i).value(), 0, params.get(i).value().length);
                });
            });
        }
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        return Files.write(file, bytes);
    }

    private static long[] lengths(long own) {
        long[] all = java.util.Arrays.copyOf(LENGTHS, LENGTHS.length + 2);
        all[LENGTHS.length] = own - 1;
        all[LENGTHS.length + 1] = own + 1;
        return all;
    }

    /** A seed cut at each of its first 16 bytes, at the header's end and every 4 bytes of the data; the length field's two halves as ints. */
    private static Seed seed(String name, byte[] bytes) {
        int data = 8 + (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int[] cuts = IntStream.concat(IntStream.range(0, 16), IntStream.iterate(data - 1, c -> c <= bytes.length, c -> c + 4)).toArray();
        return new Seed(name, bytes, cuts, new int[] {0, 4});
    }
}
