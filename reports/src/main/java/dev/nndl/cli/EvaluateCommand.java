package dev.nndl.cli;

import dev.nndl.network.ImageModel;
import dev.nndl.network.Network;
import dev.nndl.network.data.AugmentedImages;
import dev.nndl.network.data.Images;
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

/** {@code nndl evaluate}: a trained network's accuracy on MNIST (a sequence model's on its test sequences, an image model's on its test images), its confusion matrix and its most confident mistakes. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score a trained network on MNIST's test set (or Nielsen's validation set): print its accuracy, and write "
                + "confusion.csv and confusion.png (rows the label, columns the answer), predictions.csv (each image's answer, "
                + "label and two most probable classes) and wrong.png (the images it got wrong most confidently).",
                "A sequence model (lstm, rnn) is scored on its test (or validation) sequences, drawn again from the seeds it was trained with; "
                + "it gets no wrong.png.",
                "A model of colour images (alexnet, googlenet) is scored on the test (or validation) tenth of the --images DIR or --synthetic "
                + "CLASSES it trained on, split again as nndl train split it, centre-cropped; it gets no wrong.png.",
                "RUN_OR_FILE is a run directory (its best.nndl) or a checkpoint file.", ""},
        footer = {"", "Examples:", "  nndl evaluate runs/v3", "  nndl evaluate runs/ladder/v6 --set validation --backend reference --out eval-v6",
                "  nndl evaluate runs/googlenet-w0.25-i96 --synthetic 4", "",
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

    @Option(names = "--images", paramLabel = "DIR",
            description = "alexnet, googlenet: the folder of images the run trained on; its validation or test tenth is scored, split as nndl train split it.")
    Path images;

    @Option(names = "--synthetic", paramLabel = "CLASSES",
            description = "alexnet, googlenet: the run trained on generated textures of CLASSES classes, which are drawn again and split as nndl train split them.")
    Integer synthetic;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the files go (default: the run directory, or the checkpoint's).")
    Path outDir;

    @Option(names = "--wrong", paramLabel = "N", defaultValue = "40", description = "Images in wrong.png, at most (default: ${DEFAULT-VALUE}).")
    int wrong;

    /**
     * The set to score of a model of colour images: its pictures loaded (or drawn) again and split
     * as nndl train split them, centre-cropped, the training tenth's mean image subtracted.
     */
    private Samples pictures(PrintWriter out, ImageModel colour, long seed) throws java.io.IOException {
        Images pictures = TrainCommand.pictures(out, images, synthetic, colour);
        if (pictures.classes().size() != colour.classes()) {
            throw new IllegalArgumentException((images != null ? "--images " + images : "--synthetic " + synthetic) + " has " + pictures.classes().size()
                    + " classes where " + colour.id() + " has " + colour.classes() + "; give the data it trained on");
        }
        Images.Splits split = pictures.split(0.1);
        return new AugmentedImages(set == Set.test ? split.test() : split.validation(), split.training().mean(), colour.crop(), seed);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TrainingOptions.require(wrong >= 0 && wrong <= MAX_WRONG, "--wrong", wrong, "use 0 to " + MAX_WRONG);
        if (outDir != null && Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException("--out " + outDir + " is a file, not a directory");
        }
        Path file = ExportCommand.checkpoint(source);
        Checkpoint checkpoint = Checkpoint.read(file);
        ImageModel colour = checkpoint.plan().model() instanceof ImageModel m ? m : null;
        if (colour == null && (images != null || synthetic != null)) {
            throw new IllegalArgumentException("--images and --synthetic are for models of colour images (alexnet, googlenet); " + file + " holds "
                    + checkpoint.plan().model().id());
        }
        if (colour != null && (images == null) == (synthetic == null)) {
            throw new IllegalArgumentException(file + " holds " + colour.id() + ", which reads colour images: give the --images DIR or --synthetic CLASSES "
                    + "it trained on, one of them");
        }
        if (colour != null && data != null) throw new IllegalArgumentException("--data is for the MNIST models; " + colour.id() + " reads colour images");
        Path dir = outDir != null ? outDir : file.getParent() != null ? file.getParent() : file.toAbsolutePath().getParent();
        RecurrentModel recurrent = checkpoint.plan().model() instanceof RecurrentModel r ? r : null;
        if (recurrent != null && data != null) {
            throw new IllegalArgumentException("--data is for the MNIST models; " + recurrent.id() + " is scored on the sequences it was trained with, drawn again");
        }
        try (KernelSet kernels = TrainingOptions.start(backend, out)) {
            Samples samples;
            if (recurrent != null) {
                samples = recurrent.sets().get(set == Set.test ? 2 : 1);
            } else if (colour != null) {
                samples = pictures(out, colour, checkpoint.plan().seed());
            } else {
                Mnist.Splits splits = TrainingOptions.load(data, out);
                samples = set == Set.test ? splits.test() : splits.validation();
            }
            Network network = checkpoint.network(kernels, file);
            long start = System.nanoTime();
            Predictions predictions = Predictions.of(network, samples);
            double seconds = (System.nanoTime() - start) * 1e-9;
            Evaluation evaluation = new Evaluation(checkpoint.plan().model().id(), set.name(), predictions, samples);
            Files.createDirectories(dir);
            String noWrong = recurrent != null ? "the samples are sequences, not images" : colour != null ? "it draws MNIST's grey digits, not colour images" : null;
            if (noWrong != null) evaluation.writeTables(dir);
            else evaluation.write(dir, wrong);
            int right = 0;
            for (int i = 0; i < samples.count(); i++) if (predictions.classes()[i] == predictions.labels()[i]) right++;
            out.printf(Locale.ROOT, "%s on the %s set: %.2f %% (%,d of %,d %s) in %.1f s, %s epoch %d%n", evaluation.model(), set, predictions.accuracy(),
                    right, samples.count(), samples.noun() + "s", seconds, file.getFileName(), checkpoint.epochs());
            out.printf("files in %s: %s, %s, %s%s%n", dir, Evaluation.CONFUSION_CSV, Evaluation.CONFUSION_PNG, Evaluation.PREDICTIONS_CSV,
                    noWrong != null ? " (no " + Evaluation.WRONG_PNG + ": " + noWrong + ")" : ", " + Evaluation.WRONG_PNG);
        }
        out.flush();
        return 0;
    }
}
