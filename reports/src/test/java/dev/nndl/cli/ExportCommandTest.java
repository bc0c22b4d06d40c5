package dev.nndl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.network.Rung;
import dev.nndl.network.data.IdxFiles;
import dev.nndl.network.train.Checkpoint;
import dev.nndl.network.train.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nndl export} of a run and of a checkpoint, and {@code nndl train --init} from what it wrote. */
class ExportCommandTest {

    Path dir, mnist, run;

    @BeforeEach
    void trainARun(@TempDir Path dir) throws Exception {
        this.dir = dir;
        mnist = Files.createDirectory(dir.resolve("mnist"));
        run = dir.resolve("run");
        IdxFiles.writeMnist(mnist, 360, 60);
        CliRun r = CliRun.of("train", "--model", "v0", "--epochs", "1", "--backend", "reference", "--data", mnist.toString(), "--out", run.toString());
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void aRunsBestWeightsExportAndStartAnotherRun() throws Exception {
        Path file = dir.resolve("v0.safetensors");
        CliRun r = CliRun.of("export", run.toString(), file.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().matches(java.util.regex.Pattern.quote(file.toString()) + ": v0, 4 tensors, 79,510 parameters \\(epoch 1 of 1: validation .* %, "
                + "test .* %\\), from " + java.util.regex.Pattern.quote(run.resolve("best.nndl").toString()) + "\\R"), r.out());
        SafeTensors.Weights w = SafeTensors.read(file, Rung.V0);
        Checkpoint best = Checkpoint.read(run.resolve("best.nndl"));
        for (int i = 0; i < 4; i++) org.junit.jupiter.api.Assertions.assertArrayEquals(best.parameters().get(i), w.parameters().get(i));
        assertEquals("v0", w.metadata().get("model"));
        assertTrue(w.metadata().containsKey("nndl_version") && w.metadata().containsKey("nndl_commit"), w.metadata().toString());

        CliRun started = CliRun.of("train", "--model", "v0", "--epochs", "1", "--init", file.toString(), "--backend", "reference", "--data", mnist.toString(),
                "--out", dir.resolve("more").toString());
        assertEquals(0, started.code(), started.out() + started.err());
        assertTrue(started.out().contains("initial weights from " + file + " (exported from v0 after 1 epochs)"), started.out());

        CliRun fromCheckpoint = CliRun.of("export", "--format", "safetensors", run.resolve("checkpoint.nndl").toString(), dir.resolve("c.safetensors").toString());
        assertEquals(0, fromCheckpoint.code(), fromCheckpoint.out() + fromCheckpoint.err());
    }

    @Test
    void anExistingFileIsKeptWithoutForceAndAFolderWithoutARunSaysWhereRunsAre() throws Exception {
        Path file = Files.writeString(dir.resolve("taken.safetensors"), "mine");
        TrainCommandTest.refused("nndl export: " + file + " already exists; pass --force to overwrite it, or choose another OUT", "export", run.toString(), file.toString());
        assertEquals("mine", Files.readString(file));
        assertEquals(0, CliRun.of("export", "--force", run.toString(), file.toString()).code());
        TrainCommandTest.refused("nndl export: " + dir + " holds no best.nndl (a run writes it after its first epoch); its runs: " + run,
                "export", dir.toString(), dir.resolve("x.safetensors").toString());
        TrainCommandTest.refused("nndl export: no such file or directory: " + dir.resolve("nowhere"), "export", dir.resolve("nowhere").toString(), "x.safetensors");
        Path notes = Files.writeString(dir.resolve("notes.txt"), "not a checkpoint");
        TrainCommandTest.refused("nndl export: " + notes + ": checkpoint is not an nndl checkpoint", "export", notes.toString(), dir.resolve("y.safetensors").toString());
        CliRun format = CliRun.of("export", "--format", "onnx", run.toString(), dir.resolve("z").toString());
        assertEquals(2, format.code());
        assertTrue(format.err().contains("Invalid value for option '--format': expected one of [safetensors]"), format.err());
        assertTrue(CliRun.of("export", "--help").out().contains("Exit code: 0 when the file is written"));
    }

    @Test
    void initialWeightsOfAnotherModelAreRefusedBeforeTheDataLoads() throws Exception {
        Path file = dir.resolve("v0.safetensors");
        assertEquals(0, CliRun.of("export", run.toString(), file.toString()).code());
        TrainCommandTest.refused("nndl train: " + file + ": has no tensor conv1.weight [20, 1, 5, 5], which v1 needs",
                "train", "--model", "v1", "--init", file.toString(), "--backend", "reference", "--data", mnist.toString(), "--out", dir.resolve("v1").toString());
        TrainCommandTest.refused("nndl train: --init " + dir.resolve("none") + ": no such file",
                "train", "--model", "v1", "--init", dir.resolve("none").toString(), "--data", "nowhere", "--out", dir.resolve("v1").toString());
    }
}
