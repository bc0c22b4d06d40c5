package dev.nndl.cli;

import dev.nndl.network.ImageModel;
import dev.nndl.network.Network;
import dev.nndl.network.data.Mnist;
import dev.nndl.network.data.Samples;
import dev.nndl.network.recurrent.RecurrentModel;
import dev.nndl.network.train.Checkpoint;
import dev.nndl.network.train.Evaluation;
import dev.nndl.network.train.Predictions;
import dev.nndl.spi.KernelSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nndl evaluate}: a trained network's accuracy on MNIST (or a sequence model's on its test sequences), its confusion matrix and its most confident mistakes. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score a trained network on MNIST's test set (or Nielsen's validation set): print its accuracy, and write "
                + "confusion.csv and confusion.png (rows the label, columns the answer), predictions.csv (each image's answer, "
                + "label and two most probable classes) and wrong.png (the images it got wrong most confidently).",
                "A sequence model (lstm, rnn) is scored on its test (or validation) sequences, drawn again from the seeds it was trained with; "
                + "it gets no wrong.png.",
                "RUN_OR_FILE is a run directory (its best.nndl) or a checkpoint file.", ""},
        footer = {"", "Examples:", "  nndl evaluate runs/v3", "  nndl evaluate runs/ladder/v6 --set validation --backend reference --out eval-v6", "",
                "Exit code: 0 when it has scored the set and written its files, 2 when RUN_OR_FILE, the data or an option cannot be used; "
                + "the message says which, in one line.", ""})
final class EvaluateCommand implements Callable<Integer> {

    enum Set { test, validation }

    /** More pictures than a page holds. */
    static final int MAX_WRONG = 1000;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_OR_FILE", description = "A run directory (its best.nndl is scored) or a checkpoint file (.nndl).")
    Path source;

    @Option(names = "--set", paramLabel = "SET", defaultValue = "test", description = "The images to score: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Set set;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend to compute on: auto, reference, cpu, aparapi, tornado (default: -Dnndl.backend, else NNDL_BACKEND, else auto).")
    String backend;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding the four MNIST idx files, raw or .gz (default: the cache, as nndl train).")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the files go (default: the run directory, or the checkpoint's).")
    Path outDir;

    @Option(names = "--wrong", paramLabel = "N", defaultValue = "40", description = "Images in wrong.png, at most (default: ${DEFAULT-VALUE}).")
    int wrong;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TrainingOptions.require(wrong >= 0 && wrong <= MAX_WRONG, "--wrong", wrong, "use 0 to " + MAX_WRONG);
        if (outDir != null && Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException("--out " + outDir + " is a file, not a directory");
        }
        Path file = ExportCommand.checkpoint(source);
        Checkpoint checkpoint = Checkpoint.read(file);
        if (checkpoint.plan().model() instanceof ImageModel) {
            throw new IllegalArgumentException(file + " holds " + checkpoint.plan().model().id() + ", which reads colour images; evaluate scores MNIST models (v0..v6, lenet5)");
        }
        Path dir = outDir != null ? outDir : file.getParent() != null ? file.getParent() : file.toAbsolutePath().getParent();
        RecurrentModel recurrent = checkpoint.plan().model() instanceof RecurrentModel r ? r : null;
        if (recurrent != null && data != null) {
            throw new IllegalArgumentException("--data is for the MNIST models; " + recurrent.id() + " is scored on the sequences it was trained with, drawn again");
        }
        try (KernelSet kernels = TrainingOptions.start(backend, out)) {
            Samples images;
            if (recurrent != null) {
                images = recurrent.sets().get(set == Set.test ? 2 : 1);
            } else {
                Mnist.Splits splits = TrainingOptions.load(data, out);
                images = set == Set.test ? splits.test() : splits.validation();
            }
            Network network = checkpoint.network(kernels, file);
            long start = System.nanoTime();
            Predictions predictions = Predictions.of(network, images);
            double seconds = (System.nanoTime() - start) * 1e-9;
            Evaluation evaluation = new Evaluation(checkpoint.plan().model().id(), set.name(), predictions, images);
            Files.createDirectories(dir);
            if (recurrent != null) evaluation.writeTables(dir);
            else evaluation.write(dir, wrong);
            int right = 0;
            for (int i = 0; i < images.count(); i++) if (predictions.classes()[i] == predictions.labels()[i]) right++;
            out.printf(Locale.ROOT, "%s on the %s set: %.2f %% (%,d of %,d %s) in %.1f s, %s epoch %d%n", evaluation.model(), set, predictions.accuracy(),
                    right, images.count(), recurrent != null ? "sequences" : "images", seconds, file.getFileName(), checkpoint.epochs());
            out.printf("files in %s: %s, %s, %s%s%n", dir, Evaluation.CONFUSION_CSV, Evaluation.CONFUSION_PNG, Evaluation.PREDICTIONS_CSV,
                    recurrent != null ? " (no " + Evaluation.WRONG_PNG + ": the samples are sequences, not images)" : ", " + Evaluation.WRONG_PNG);
        }
        out.flush();
        return 0;
    }
}
