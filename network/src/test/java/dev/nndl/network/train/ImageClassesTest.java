package dev.nndl.network.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.network.AlexNet;
import dev.nndl.network.Rung;
import dev.nndl.spi.BadFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class names and mean image a run on colour images keeps beside its checkpoints, and every way they can be missing or wrong. */
class ImageClassesTest {

    @TempDir
    Path dir;

    static final AlexNet MODEL = new AlexNet(3);

    private static float[] mean(int side) {
        float[] mean = new float[3 * side * side];
        Random random = new Random(side);
        for (int i = 0; i < mean.length; i++) mean[i] = random.nextFloat();
        return mean;
    }

    @Test
    void theNamesAndTheMeanReadBackBesideTheCheckpoint() throws IOException {
        float[] mean = mean(256);
        new ImageClasses(List.of("cats", "dogs with spaces", "élans"), mean, 256).write(dir);
        assertEquals("cats\ndogs with spaces\nélans\n", Files.readString(dir.resolve("classes.txt"), StandardCharsets.UTF_8));
        ImageClasses read = ImageClasses.read(dir.resolve("best.nndl"), MODEL);
        assertEquals(List.of("cats", "dogs with spaces", "élans"), read.names());
        assertArrayEquals(mean, read.mean());
        assertEquals(256, read.side());
        SafeTensors.Weights file = SafeTensors.read(dir.resolve("mean.safetensors"), List.of(new SafeTensors.Tensor("mean", List.of(3, 256, 256))), "a reader");
        assertEquals("pt", file.metadata().get("format"), "as safetensors.torch writes: PyTorch loads it");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("classes.txt", "mean.safetensors"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
    }

    @Test
    void aMissingFileIsNamedWithWhatItHolds() throws IOException {
        Path checkpoint = dir.resolve("best.nndl");
        var classes = assertThrows(BadFileException.class, () -> ImageClasses.read(checkpoint, MODEL));
        assertEquals(checkpoint + ": has no classes.txt beside it: the names of alexnet-3's classes, one a line in label order, which nndl train "
                + "writes into a run on colour images; write it (the training folder's subfolder names, sorted) or train again", classes.getMessage());
        Files.writeString(dir.resolve("classes.txt"), "a\nb\nc\n");
        var mean = assertThrows(BadFileException.class, () -> ImageClasses.read(checkpoint, MODEL));
        assertTrue(mean.getMessage().contains(": has no mean.safetensors beside it: the mean image of alexnet-3's training set"), mean.getMessage());
    }

    @Test
    void filesOfAnotherRunOrDamagedOnesAreRefused() throws IOException {
        Path checkpoint = dir.resolve("best.nndl");
        new ImageClasses(List.of("a", "b"), mean(16), 16).write(dir);
        var count = assertThrows(BadFileException.class, () -> ImageClasses.read(checkpoint, MODEL));
        assertEquals(dir.resolve("classes.txt").toAbsolutePath() + ": names 2 classes where alexnet-3 has 3; it belongs to another run", count.getMessage());
        Files.writeString(dir.resolve("classes.txt"), "a\nb\nc\n");
        var side = assertThrows(BadFileException.class, () -> ImageClasses.read(checkpoint, MODEL));
        assertTrue(side.getMessage().endsWith("mean.safetensors: holds mean of shape [3, 16, 16] where alexnet-3's is [3, 256, 256]"), side.getMessage());
        Files.writeString(dir.resolve("classes.txt"), "a\n\nc\n");
        var empty = assertThrows(BadFileException.class, () -> ImageClasses.read(checkpoint, MODEL));
        assertTrue(empty.getMessage().endsWith("classes.txt: has an empty line 2; it should hold the class names, one a line"), empty.getMessage());
        Files.write(dir.resolve("classes.txt"), new byte[] {'a', '\n', (byte) 0xff, '\n', 'c', '\n'});
        var binary = assertThrows(BadFileException.class, () -> ImageClasses.read(checkpoint, MODEL));
        assertTrue(binary.getMessage().endsWith("classes.txt: is not UTF-8 text; it should hold the class names, one a line"), binary.getMessage());
        SafeTensors.write(dir.resolve("mean.safetensors"), List.of(new SafeTensors.Tensor("average", List.of(3))), List.of(new float[3]), Map.of());
        Files.writeString(dir.resolve("classes.txt"), "a\nb\nc\n");
        var other = assertThrows(BadFileException.class, () -> ImageClasses.read(checkpoint, MODEL));
        assertTrue(other.getMessage().endsWith("mean.safetensors: has no tensor mean [3, 256, 256], which alexnet-3 needs"), other.getMessage());
    }

    @Test
    void namesThatCannotBeWrittenOneALineAndModelsOfDigitsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ImageClasses(List.of("a", "two\nlines"), mean(2), 2));
        assertEquals("class name 'two\\nlines' cannot be written one a line; rename its folder", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageClasses(List.of("a"), new float[5], 2));
        assertThrows(IllegalArgumentException.class, () -> ImageClasses.read(dir.resolve("best.nndl"), Rung.V3));
    }
}
