package dev.nndl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.network.data.IdxFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nndl evaluate} on a v1 trained for an epoch on generated idx files: its line, its files, and the same answers on every backend. */
class EvaluateCommandTest {

    /** How close the reference's two most probable classes may be where another backend answers the other: float sums in another order. */
    static final double TIE = 1e-4;

    @Test
    void everyBackendGivesTheReferencesAnswersButWhereTheTopTwoAreATie(@TempDir Path dir) throws Exception {
        Path mnist = Files.createDirectory(dir.resolve("mnist")), run = dir.resolve("run");
        IdxFiles.writeMnist(mnist, 360, 120);
        CliRun trained = CliRun.of("train", "--model", "v1", "--epochs", "1", "--backend", "reference", "--data", mnist.toString(), "--out", run.toString());
        assertEquals(0, trained.code(), trained.out() + trained.err());

        CliRun reference = CliRun.of("evaluate", run.toString(), "--backend", "reference", "--data", mnist.toString(), "--out", dir.resolve("reference").toString());
        assertEquals(0, reference.code(), reference.out() + reference.err());
        assertTrue(reference.out().matches("(?s).*v1 on the test set: \\d+\\.\\d\\d % \\(\\d+ of 120 images\\) in .* s, best.nndl epoch 1\\R.*"), reference.out());
        List<String> r = Files.readAllLines(dir.resolve("reference/predictions.csv"));
        assertEquals("image,label,answer,probability,runner_up,runner_up_probability", r.getFirst());
        assertEquals(121, r.size());

        List<String> backends = new ArrayList<>(List.of("cpu"));
        if (CliRun.openClDriverInstalled()) backends.add("aparapi"); // the build starts this JVM as an OpenCL driver needs, so aparapi must start
        for (String backend : backends) {
            CliRun other = CliRun.of("evaluate", run.resolve("best.nndl").toString(), "--backend", backend, "--data", mnist.toString(), "--out",
                    dir.resolve(backend).toString());
            assertEquals(0, other.code(), backend + ": " + other.out() + other.err());
            assertTrue(other.out().contains("backend " + backend + " on "), other.out());
            assertSameAnswers(r, Files.readAllLines(dir.resolve(backend).resolve("predictions.csv")), backend);
        }

        List<String> confusion = Files.readAllLines(dir.resolve("reference/confusion.csv"));
        assertEquals("label \\ answer,0,1,2,3,4,5,6,7,8,9", confusion.getFirst());
        assertEquals(120, confusion.stream().skip(1).flatMap(l -> java.util.Arrays.stream(l.split(",")).skip(1)).mapToInt(Integer::parseInt).sum());
        for (String png : List.of("confusion.png", "wrong.png")) {
            assertTrue(javax.imageio.ImageIO.read(dir.resolve("reference").resolve(png).toFile()).getWidth() >= 800, png);
        }
    }

    /** {@code other}'s answers are the reference's {@code r}, but for images whose top two the reference put within {@link #TIE}. */
    static void assertSameAnswers(List<String> r, List<String> other, String backend) {
        assertEquals(r.size(), other.size(), backend);
        int ties = 0;
        for (int i = 1; i < r.size(); i++) {
            String[] a = r.get(i).split(","), b = other.get(i).split(",");
            if (a[2].equals(b[2])) continue;
            ties++;
            assertTrue(Double.parseDouble(a[3]) - Double.parseDouble(a[5]) <= TIE, "image " + (i - 1) + ": reference " + r.get(i) + ", " + backend + " " + other.get(i));
        }
        assertTrue(ties < 3, backend + ": " + ties + " answers differ");
    }

    @Test
    void optionsAreCheckedAndAMissingRunIsNamed(@TempDir Path dir) {
        TrainCommandTest.refused("nndl evaluate: --wrong -1: use 0 to 1000", "evaluate", dir.toString(), "--wrong", "-1");
        TrainCommandTest.refused("nndl evaluate: " + dir + " holds no best.nndl", "evaluate", dir.toString(), "--data", "nowhere");
        CliRun set = CliRun.of("evaluate", dir.toString(), "--set", "training");
        assertEquals(2, set.code());
        assertTrue(set.err().contains("expected one of [test, validation]"), set.err());
    }
}
