package dev.nndl.network.data;

import static dev.nndl.network.FileMutant.readsOrRefuses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nndl.network.FileMutant;
import dev.nndl.network.FileMutant.Seed;
import dev.nndl.testing.Property;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated PNG, JPEG, BMP and GIF files, their dimensions rewritten to huge, zero and negative
 * values first, must load as images or end in a BadFileException naming the file; the build runs
 * this class with a 128 MB heap, so a decoder that believes a small file's header fails it. A
 * failure prints the mutation and the seed; {@code -Dnndl.property.seed=N} draws the same inputs.
 */
class ImageFuzzTest {

    static final List<String> FORMATS = List.of("png", "jpg", "bmp", "gif");
    static final int[] DIMENSIONS = {0, 1, 255, 4096, 26_000, 0x7fff, 0xffff, Integer.MAX_VALUE, -1};

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void mutatedHeadersAndBodies() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        List<FileMutant> dimensions = new ArrayList<>();
        for (String format : FORMATS) {
            byte[] image = ImageFiles.encode(format, 16, 12);
            int[] cuts = IntStream.concat(IntStream.range(0, Math.min(image.length, 64)), IntStream.of(image.length / 2, image.length - 1)).toArray();
            assertArrayEquals(new int[] {12, 16}, ImageFiles.declared(ImageFiles.withSize(format, image, 12, 16)), format + "'s dimensions are where the test writes them");
            seeds.add(new Seed(format, image, cuts, format.equals("png") ? new int[] {16, 20} : new int[0]));
            for (int d : DIMENSIONS) {
                for (int[] wh : new int[][] {{d, d}, {d, 12}, {16, d}}) {
                    dimensions.add(new FileMutant(format, ImageFiles.withSize(format, image, wh[0], wh[1]), List.of("dimensions " + wh[0] + "x" + wh[1])));
                }
            }
        }
        Path file = dir.resolve("image");
        Property.check("image mutants", 1200, FileMutant.gen(seeds, b -> b, dimensions), m -> {
            Files.write(file, m.bytes());
            readsOrRefuses(file, () -> ImageFolder.read(file, 8, new byte[Images.CHANNELS * 8 * 8], 0));
        });
    }
}
