package dev.nndl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.network.data.IdxFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nndl train} and {@code nndl ladder} on a small generated MNIST: their lines, files and exit codes. */
class TrainCommandTest {

    Path mnist, out;

    @BeforeEach
    void writeData(@TempDir Path dir) throws Exception {
        mnist = Files.createDirectory(dir.resolve("mnist"));
        out = dir.resolve("run");
        IdxFiles.writeMnist(mnist, 360, 60);
    }

    @Test
    void trainPrintsEpochsAndTheBestEpochAndWritesItsFiles() throws Exception {
        CliRun r = CliRun.of("train", "--model", "v1", "--epochs", "2", "--backend", "reference", "--data", mnist.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("backend reference on Java"), r.out());
        assertTrue(r.out().contains("v1 epoch 2/2: cost "), r.out());
        assertTrue(r.out().matches("(?s).*v1: best validation epoch \\d of 2: validation .* %, test .* % \\(Nielsen 98.78 %.*"), r.out());
        List<String> results = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(2, results.size());
        assertTrue(results.get(1).startsWith("v1,2,") && results.get(1).contains(",98.7800,") && results.get(1).contains(",reference,"), results.get(1));
        for (String file : List.of("epochs.csv", "learning-curve.png", "filters.png", "checkpoint.nndl", "best.nndl")) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }

        CliRun again = CliRun.of("train", "--model", "v1", "--epochs", "2", "--backend", "reference", "--data", mnist.toString(), "--out", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().startsWith("nndl train: ") && again.err().contains("pass --resume"), again.err());

        CliRun more = CliRun.of("train", "--model", "v1", "--epochs", "3", "--backend", "reference", "--data", mnist.toString(), "--out", out.toString(), "--resume");
        assertEquals(0, more.code(), more.out() + more.err());
        assertTrue(more.out().contains("resumed after epoch 2 of 3") && more.out().contains("v1 epoch 3/3"), more.out());
        assertTrue(!more.out().contains("v1 epoch 1/3"), more.out());
    }

    @Test
    void aCorruptCheckpointEndsWithOneLine() throws Exception {
        Files.createDirectories(out);
        Files.writeString(out.resolve("checkpoint.nndl"), "garbage");
        CliRun r = CliRun.of("train", "--model", "v0", "--epochs", "1", "--backend", "reference", "--data", mnist.toString(), "--out", out.toString(), "--resume");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("is not an nndl checkpoint") && r.err().contains("left as it is"), r.err());
    }

    @Test
    void missingDataSaysWhatIsMissing() {
        CliRun r = CliRun.of("train", "--model", "v0", "--data", out.getParent().toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("lacks train-images-idx3-ubyte"), r.err());
    }

    @Test
    void momentumAndASchedulePrintAndGoIntoTheEpochsCsv() throws Exception {
        CliRun r = CliRun.of("train", "--model", "v0", "--epochs", "2", "--eta", "0.05", "--momentum", "0.9", "--schedule", "plateau:10:1",
                "--backend", "cpu", "--data", mnist.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("eta 0.05, momentum 0.9, schedule plateau:10:1, lambda 0.0"), r.out());
        List<String> epochs = Files.readAllLines(out.resolve("epochs.csv"));
        assertTrue(epochs.get(0).contains(",batch,eta,momentum,lambda,"), epochs.get(0));
        assertTrue(epochs.get(1).contains(",10,0.05,0.9,0.0,"), epochs.get(1));

        CliRun bad = CliRun.of("train", "--model", "v0", "--schedule", "step:2", "--data", mnist.toString(), "--out", out.resolveSibling("other").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("schedule 'step:2' is not constant, plateau, or plateau:FACTOR:PATIENCE"), bad.err());
    }

    @Test
    void anUnknownRungNamesTheLadder() {
        CliRun r = CliRun.of("train", "--model", "v9");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Nielsen's ladder has v0 .. v6"), r.err());
    }

    @Test
    void theQuickLadderTrainsEachRungAndTheEnsemble() throws Exception {
        CliRun r = CliRun.of("ladder", "--quick", "--rungs", "v0,v6", "--members", "2", "--data", mnist.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(List.of("model", "v0", "v6", "v6", "ensemble-2"), rows.stream().map(l -> l.substring(0, l.indexOf(','))).toList(), String.join("\n", rows));
        assertTrue(rows.get(4).contains(",99.6700,Nielsen,"), rows.get(4));
        assertTrue(Files.exists(out.resolve("ensemble").resolve("v6-seed-2").resolve("best.nndl")));
        assertTrue(Files.exists(out.resolve("results.png")));
        assertTrue(r.out().contains("ensemble of 2 v6: validation"), r.out());
    }

    @Test
    void alexNetNeedsColourImagesAndSaysWhereToGetThem() {
        CliRun none = CliRun.of("train", "--model", "alexnet");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("alexnet trains on colour images: give --images DIR (one subfolder of images per class) or --synthetic"), none.err());
        CliRun both = CliRun.of("train", "--model", "alexnet", "--synthetic", "--images", out.toString());
        assertEquals(2, both.code());
        CliRun mnistModel = CliRun.of("train", "--model", "v0", "--synthetic");
        assertEquals(2, mnistModel.code());
        assertTrue(mnistModel.err().contains("--images and --synthetic are for alexnet; v0 trains on MNIST (--data DIR)"), mnistModel.err());
        CliRun missing = CliRun.of("train", "--model", "alexnet", "--images", out.resolve("nowhere").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("is not a directory; give a folder with one subfolder of images per class"), missing.err());
    }
}
