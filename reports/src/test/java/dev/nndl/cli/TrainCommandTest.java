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

    /** A small LSTM from the command line: its run files, --resume, evaluate on the regenerated test set (no wrong.png) and export. */
    @Test
    void anLstmTrainsResumesIsEvaluatedAndExported() throws Exception {
        String[] train = {"train", "--model", "lstm", "--hidden", "8", "--steps", "5", "--symbols", "4", "--backend", "cpu", "--out", out.toString()};
        CliRun r = CliRun.of(cat(new String[] {"--epochs", "1"}, train));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("lstm-h8-t5-s4: LSTM of 8 units over 5 steps of 4 symbols, softmax on the last state: names the first symbol "
                + "(chance 25.00 %); 1 epoch of 10,000 sequences, mini-batch 32, eta 0.5, momentum 0.9, gradient norm clipped to 1.0"), r.out());
        assertTrue(!r.out().contains("MNIST"), r.out());
        for (String file : List.of("epochs.csv", "results.csv", "learning-curve.png", "filters.png", "checkpoint.nndl", "best.nndl")) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        String row = Files.readAllLines(out.resolve("results.csv")).get(1);
        assertTrue(row.startsWith("lstm-h8-t5-s4,1,1,"), row);
        double test = Double.parseDouble(row.split(",")[4]);
        assertTrue(test > 90, "test accuracy " + test + " % after one epoch (chance 25 %)");

        CliRun more = CliRun.of(cat(new String[] {"--epochs", "2", "--resume"}, train));
        assertEquals(0, more.code(), more.out() + more.err());
        assertTrue(more.out().contains("resumed after epoch 1 of 2") && more.out().contains("lstm-h8-t5-s4 epoch 2/2"), more.out());
        CliRun other = CliRun.of("train", "--model", "lstm-h8-t5-s4", "--epochs", "3", "--eta", "0.1", "--out", out.toString(), "--resume");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("with a different plan (eta 0.5 vs 0.1)"), other.err());

        CliRun evaluated = CliRun.of("evaluate", out.toString(), "--backend", "reference");
        assertEquals(0, evaluated.code(), evaluated.out() + evaluated.err());
        assertTrue(evaluated.out().matches("(?s).*lstm-h8-t5-s4 on the test set: [0-9.]+ % \\([0-9,]+ of 2,000 sequences\\) in .*"), evaluated.out());
        assertTrue(evaluated.out().contains("(no wrong.png: the samples are sequences, not images)"), evaluated.out());
        for (String file : List.of("confusion.csv", "confusion.png", "predictions.csv")) assertTrue(Files.exists(out.resolve(file)), file);
        assertTrue(!Files.exists(out.resolve("wrong.png")));
        assertEquals(5, Files.readAllLines(out.resolve("confusion.csv")).size(), "a header and a row per symbol");
        assertEquals(2001, Files.readAllLines(out.resolve("predictions.csv")).size(), "a header and a row per test sequence");
        assertTrue(Files.readAllLines(out.resolve("predictions.csv")).getFirst().startsWith("sequence,label,answer,"), "sequences, not images");

        Path exported = out.resolveSibling("lstm.safetensors");
        CliRun export = CliRun.of("export", out.toString(), exported.toString());
        assertEquals(0, export.code(), export.out() + export.err());
        assertTrue(export.out().contains(": lstm-h8-t5-s4, 6 tensors, 452 parameters"), export.out());
        CliRun init = CliRun.of("train", "--model", "lstm-h8-t5-s4", "--epochs", "1", "--init", exported.toString(), "--out", out.resolveSibling("again").toString());
        assertEquals(0, init.code(), init.out() + init.err());
        assertTrue(init.out().contains("(exported from lstm-h8-t5-s4 after 2 epochs)"), init.out());
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
        assertTrue(bad.err().contains("--schedule: schedule 'step:2' is not constant, plateau, or plateau:FACTOR:PATIENCE"), bad.err());
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
    void mergedResultsMakeOneTableInTheLaddersOrder() throws Exception {
        String header = "model,epochs,best_epoch,validation_accuracy,test_accuracy,published_accuracy,published_by,difference,images_per_second,batch,seed,backend,device,threads\n";
        Files.createDirectories(out);
        Path first = Files.writeString(out.resolve("first.csv"), header
                + "v4,60,60,99.4200,99.4600,99.3700,Nielsen,0.0900,7322.0000,10,1,cpu,Xeon,2\n"
                + "v0,60,30,,97.5000,97.8000,Nielsen,-0.3000,,10,1,cpu,EPYC,2\n");
        Path second = Files.writeString(out.resolve("second.csv"), header
                + "v6,40,38,99.6000,99.5700,99.6000,Nielsen,-0.0300,2177.2493,10,1,cpu,EPYC,2\n"
                + "v6,40,36,99.5800,99.5500,99.6000,Nielsen,-0.0500,3100.0000,10,2,cpu,EPYC,2\n"
                + "ensemble-5,40,,99.6500,99.6600,99.6700,Nielsen,-0.0100,9000.0000,10,1,cpu,EPYC,2\n"
                + "v0,60,30,,97.6900,97.8000,Nielsen,-0.1100,,10,1,cpu,EPYC,2\n");
        Path table = out.resolve("table");
        CliRun r = CliRun.of("ladder", "--merge", first + "," + second, "--out", table.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> lines = r.out().lines().filter(l -> l.matches("^(v\\d|ensemble).*")).toList();
        assertEquals(List.of("v0", "v4", "v6", "ensemble-5"), lines.stream().map(l -> l.split(" +")[0]).toList(), r.out());
        // the last file's v0 wins; a blank validation accuracy and speed print as dashes; v6 is the --seed member's
        assertTrue(lines.get(0).matches("v0 +1 +60 +30 +- +97\\.69% +97\\.80% +-0\\.11 +-"), lines.get(0));
        assertTrue(lines.get(2).contains("99.57%"), lines.get(2));
        assertTrue(javax.imageio.ImageIO.read(table.resolve("results.png").toFile()).getWidth() >= 800);
        refused("nndl ladder: --merge needs --out DIR: the folder for the merged chart, results.png", "ladder", "--merge", first.toString());
        CliRun missing = CliRun.of("ladder", "--merge", out.resolve("nowhere.csv").toString(), "--out", table.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nowhere.csv") && missing.err().contains("no such file"), missing.err());
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
        assertTrue(mnistModel.err().contains("--images and --synthetic are for alexnet and googlenet; v0 trains on MNIST (--data DIR)"), mnistModel.err());
        CliRun missing = CliRun.of("train", "--model", "alexnet", "--images", out.resolve("nowhere").toString(), "--out", out.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("is not a directory; give a folder with one subfolder of images per class"), missing.err());
    }

    /** One line, exit code 2, naming the option; {@code --data nowhere} shows that nothing was loaded first. */
    static void refused(String expected, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith(expected), r.err());
        assertTrue(!r.out().contains("MNIST from"), r.out());
    }

    @Test
    void badOptionsAreNamedBeforeAnythingLoads() {
        String[] mnist = {"--data", "nowhere", "--out", "nowhere-run", "--backend", "reference"};
        refused("nndl train: --schedule: schedule ':' is not constant, plateau, or plateau:FACTOR:PATIENCE", cat(mnist, "train", "--model", "v0", "--schedule", ":"));
        refused("nndl train: --schedule: schedule 'plateau:1:1' is not", cat(mnist, "train", "--model", "v0", "--schedule", "plateau:1:1"));
        refused("nndl train: --eta -1.0: use a learning rate above 0", cat(mnist, "train", "--model", "v0", "--eta", "-1"));
        refused("nndl train: --eta NaN: use a learning rate above 0", cat(mnist, "train", "--model", "v0", "--eta", "NaN"));
        refused("nndl train: --lambda Infinity: use 0 (none) or more", cat(mnist, "train", "--model", "v0", "--lambda", "1e40"));
        refused("nndl train: --momentum 1.0: use a number from 0 to below 1", cat(mnist, "train", "--model", "v0", "--momentum", "1"));
        refused("nndl train: --batch 0: use 1 to 65536 images", cat(mnist, "train", "--model", "v0", "--batch", "0"));
        refused("nndl train: --epochs 0: use 1 to 10000", cat(mnist, "train", "--model", "v0", "--epochs", "0"));
        refused("nndl train: --resume and --force contradict each other", cat(mnist, "train", "--model", "v0", "--resume", "--force"));
        refused("nndl ladder: --members 0: use 1 (no ensemble) to 100", cat(mnist, "ladder", "--members", "0"));
        refused("nndl ladder: --schedule: schedule '' is not", cat(mnist, "ladder", "--schedule", ""));
        refused("nndl train: --synthetic 1: use 2 to ", cat(mnist, "train", "--model", "alexnet", "--synthetic", "1"));
        refused("nndl train: --synthetic 100000: use 2 to ", cat(mnist, "train", "--model", "alexnet", "--synthetic", "100000"));
        String[] sequences = {"--out", "nowhere-run", "--backend", "reference"};
        refused("nndl train: --steps 0: use 1 to 1000 time steps", cat(sequences, "train", "--model", "lstm", "--steps", "0"));
        refused("nndl train: --symbols 257: use 2 to 256 symbols", cat(sequences, "train", "--model", "rnn", "--symbols", "257"));
        refused("nndl train: --hidden 0: use 1 to 1024 units", cat(sequences, "train", "--model", "lstm", "--hidden", "0"));
        refused("nndl train: --model lstm-t0: model lstm-t0: steps 0: use 1 to 1000 time steps", cat(sequences, "train", "--model", "lstm-t0"));
        refused("nndl train: --steps 20 contradicts --model lstm-t30, which has 30; give one of them",
                cat(sequences, "train", "--model", "lstm-t30", "--steps", "20"));
        refused("nndl train: --steps, --symbols and --hidden are for lstm and rnn; v0 has no recurrent layer", cat(mnist, "train", "--model", "v0", "--hidden", "8"));
        refused("nndl train: --data is for the MNIST models; lstm trains on sequences it generates", cat(mnist, "train", "--model", "lstm"));
    }

    private static String[] cat(String[] options, String... command) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.Arrays.stream(options)).toArray(String[]::new);
    }

    /** alexnet-N is AlexNet too: it used to go down the MNIST path and fail only after loading it. */
    @Test
    void alexNetWithClassesNeedsColourImagesOfThatManyClasses() {
        String[] mnist = {"--data", "nowhere", "--out", "nowhere-run"};
        refused("nndl train: alexnet-5 trains on colour images", cat(mnist, "train", "--model", "alexnet-5"));
        refused("nndl train: --model alexnet-5 has 5 classes, but --synthetic has 3; give --model alexnet", cat(mnist, "train", "--model", "alexnet-5", "--synthetic", "3"));
    }

    /**
     * GoogLeNet at width 1/8 on 64 x 64 crops of two texture classes, one epoch: the run's files,
     * then its table, its export and its evaluation on the textures drawn again, all by the id the run gave it.
     */
    @Test
    void googLeNetTrainsOnTexturesAtAWidthAndInputSizeAndExports() throws Exception {
        CliRun r = CliRun.of("train", "--model", "googlenet", "--synthetic", "2", "--width", "0.125", "--input-size", "64", "--epochs", "1",
                "--batch", "16", "--backend", "cpu", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("480 images of 2 classes (horizontal-stripes, vertical-stripes)"), r.out());
        assertTrue(r.out().contains("googlenet-2-w0.125-i64: GoogLeNet (Szegedy et al. 2014), Table 1: 9 inception modules, global average pooling, "
                + "dropout 0.4, no auxiliary classifiers; width 0.125; 64x64 input; 2 classes; 1 epoch of 384 images, mini-batch 16, eta 0.01, "
                + "momentum 0.9, schedule step:0.96:8, lambda 0.0002, seed 1"), r.out());
        assertTrue(r.out().matches("(?s).*googlenet-2-w0.125-i64: best validation epoch 1 of 1: validation .* %, test .* %, .* img/s\\R.*"), r.out());
        for (String file : List.of("epochs.csv", "results.csv", "learning-curve.png", "filters.png", "checkpoint.nndl", "best.nndl")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        assertTrue(Files.readAllLines(out.resolve("results.csv")).get(1).startsWith("googlenet-2-w0.125-i64,1,"));

        Path weights = out.resolveSibling("googlenet.safetensors");
        CliRun export = CliRun.of("export", out.toString(), weights.toString());
        assertEquals(0, export.code(), export.out() + export.err());
        assertTrue(export.out().contains("googlenet-2-w0.125-i64, 116 tensors"), export.out());
        CliRun refused = CliRun.of("evaluate", out.toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("holds googlenet-2-w0.125-i64, which reads colour images: give the --images DIR or --synthetic CLASSES it trained on"),
                refused.err());
        CliRun evaluate = CliRun.of("evaluate", out.toString(), "--synthetic", "2", "--backend", "cpu");
        assertEquals(0, evaluate.code(), evaluate.out() + evaluate.err());
        assertTrue(evaluate.out().matches("(?s).*googlenet-2-w0.125-i64 on the test set: [0-9.]+ % \\([0-9]+ of 48 images\\) in .*"), evaluate.out());
        assertTrue(evaluate.out().contains("(no wrong.png: it draws MNIST's grey digits, not colour images)"), evaluate.out());
        // the test tenth scored again is the one train scored: the same accuracy as the run's best epoch
        String best = Files.readAllLines(out.resolve("results.csv")).get(1).split(",")[4];
        assertTrue(evaluate.out().contains(String.format(java.util.Locale.ROOT, "test set: %.2f %%", Double.parseDouble(best))), best + " vs " + evaluate.out());
        assertEquals(2, CliRun.of("evaluate", out.toString(), "--synthetic", "3").code(), "three classes for a model of two");
        CliRun shapes = CliRun.of("shapes", "googlenet-2-w0.125-i64");
        assertEquals(0, shapes.code(), shapes.err());
        assertTrue(shapes.out().matches("(?s).*pool5 +avg-pool 2x2 s1 +128x2x2 +128 .*"), shapes.out());
    }

    @Test
    void googLeNetsWidthAndInputSizeAreCheckedBeforeAnythingLoads() {
        String[] data = {"--synthetic", "2", "--out", "nowhere-run", "--backend", "reference"};
        refused("nndl train: --width 0.0: use a multiplier above 0 and at most 1", cat(data, "train", "--model", "googlenet", "--width", "0"));
        refused("nndl train: --width 1.5: use a multiplier above 0 and at most 1", cat(data, "train", "--model", "googlenet", "--width", "1.5"));
        refused("nndl train: --width NaN: use a multiplier", cat(data, "train", "--model", "googlenet", "--width", "NaN"));
        refused("nndl train: --input-size 16: use 17 to 512 pixels (the paper's is 224)", cat(data, "train", "--model", "googlenet", "--input-size", "16"));
        refused("nndl train: --input-size 513: use 17 to 512 pixels", cat(data, "train", "--model", "googlenet", "--input-size", "513"));
        refused("nndl train: --width and --input-size are for googlenet; alexnet has its paper's channels and input size",
                cat(data, "train", "--model", "alexnet", "--width", "0.5"));
        refused("nndl train: --width 0.5 and --model googlenet-w0.25 both give a width; give it once",
                cat(data, "train", "--model", "googlenet-w0.25", "--width", "0.5"));
        refused("nndl train: --model googlenet-w2: GoogLeNet's width 2.0: use a multiplier above 0 and at most 1", cat(data, "train", "--model", "googlenet-w2"));
        refused("nndl train: --model googlenet-5-w0.25 has 5 classes, but --synthetic has 2; give --model googlenet-w0.25 to take the data's classes",
                cat(data, "train", "--model", "googlenet-5-w0.25"));
        refused("nndl train: googlenet trains on colour images", cat(new String[] {"--out", "nowhere-run"}, "train", "--model", "googlenet"));
    }

    /** A batch larger than the data used to build the network first: at a million, gigabytes of activations. */
    @Test
    void aBatchLargerThanTheTrainingSetIsRefusedBeforeTheNetworkIsBuilt() {
        CliRun r = CliRun.of("train", "--model", "v1", "--batch", "60000", "--backend", "reference", "--data", mnist.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().matches("nndl train: --batch 60000: more than the \\d+ training images; use at most \\d+\\R"), r.err());
        CliRun huge = CliRun.of("train", "--model", "v1", "--batch", "1000000", "--backend", "reference", "--data", mnist.toString(), "--out", out.toString());
        assertEquals(2, huge.code(), huge.out() + huge.err());
        assertTrue(huge.err().startsWith("nndl train: --batch 1000000: use 1 to 65536 images"), huge.err());
    }

    @Test
    void aRunsFilesAreNotOverwrittenWithoutResumeOrForce() throws Exception {
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.csv"), "an earlier run's results");
        CliRun r = CliRun.of("train", "--model", "v0", "--epochs", "1", "--backend", "reference", "--data", mnist.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("nndl train: " + out + " already holds results.csv; pass --resume to continue its run, --force to overwrite it, or choose another --out",
                r.err().strip());
        assertEquals("an earlier run's results", Files.readString(out.resolve("results.csv")));
        Path ladder = Files.createDirectories(out.resolveSibling("ladder"));
        Files.writeString(ladder.resolve("results.csv"), "an earlier ladder");
        assertEquals(2, CliRun.of("ladder", "--quick", "--rungs", "v0", "--members", "1", "--data", mnist.toString(), "--out", ladder.toString()).code());
        assertEquals("an earlier ladder", Files.readString(ladder.resolve("results.csv")));

        CliRun forced = CliRun.of("train", "--model", "v0", "--epochs", "1", "--backend", "reference", "--data", mnist.toString(), "--out", out.toString(), "--force");
        assertEquals(0, forced.code(), forced.out() + forced.err());
        assertTrue(Files.readString(out.resolve("results.csv")).startsWith("model,"));
        CliRun again = CliRun.of("train", "--model", "v0", "--epochs", "1", "--backend", "reference", "--data", mnist.toString(), "--out", out.toString(), "--force");
        assertEquals(0, again.code(), "--force starts over even where a checkpoint is: " + again.out() + again.err());
        assertTrue(again.out().contains("v0 epoch 1/1"), again.out());
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary file is left behind");
        }
    }

    @Test
    void anOutputThatIsEmptyOrAFileIsRefused() throws Exception {
        String[] run = {"train", "--model", "v0", "--backend", "reference", "--data", mnist.toString(), "--out"};
        refused("nndl train: --out is empty; name a directory for the run's files", cat(new String[] {""}, run));
        Path file = Files.writeString(out.resolveSibling("afile"), "not a directory");
        refused("nndl train: --out " + file + " is a file, not a directory", cat(new String[] {file.toString()}, run));
    }

    @Test
    void aDirectoryInUseIsRefusedNamingItsHolderAndAStaleLockIsNot() throws Exception {
        String[] run = {"train", "--model", "v0", "--epochs", "1", "--backend", "reference", "--data", mnist.toString(), "--out", out.toString()};
        try (var held = dev.nndl.network.train.RunDirectory.claim(out, "--out", false, false, "nndl train --model v3")) {
            CliRun r = CliRun.of(run);
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().matches("nndl train: " + java.util.regex.Pattern.quote(out.toString()) + " is in use by another run \\(pid "
                    + ProcessHandle.current().pid() + ", nndl train --model v3, since .*\\); wait for it to end, or choose another --out\\R"), r.err());
        }
        Files.writeString(out.resolve(dev.nndl.network.train.RunDirectory.LOCK), "pid 999999, nndl train --model v1, since yesterday (killed)");
        CliRun r = CliRun.of(run);
        assertEquals(0, r.code(), "a lock file nobody holds blocks nothing: " + r.out() + r.err());
    }

    /** picocli warns on standard error, once per help text it cannot format (an unescaped %). */
    @Test
    void everyCommandsHelpFormatsWithoutWarnings() {
        java.io.PrintStream before = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(warnings, true));
            var cli = Nndl.commandLine();
            cli.getUsageMessage();
            for (var sub : cli.getSubcommands().values()) sub.getUsageMessage();
        } finally {
            System.setErr(before);
        }
        assertEquals("", warnings.toString());
        assertTrue(CliRun.of("train", "--help").out().contains("80 % to train"));
    }
}
