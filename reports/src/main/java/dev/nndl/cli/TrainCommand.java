package dev.nndl.cli;

import dev.nndl.network.Model;
import dev.nndl.network.train.Epoch;
import dev.nndl.network.train.Plan;
import dev.nndl.network.train.RunFiles;
import dev.nndl.network.train.Trainer;
import dev.nndl.spi.KernelSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nndl train}: one rung of Nielsen's ladder, or LeNet-5, on MNIST, checkpointed every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train one rung of Nielsen's ladder (v0..v6), or LeNet-5 (lenet5), on MNIST.",
                "Trains on the first 50,000 training images (250,000 shifted copies for v4-v6), validates on the",
                "last 10,000 and tests on t10k after every epoch, and reports the test accuracy at the best",
                "validation epoch. The output directory gets a checkpoint after every epoch, the best weights,",
                "epochs.csv, results.csv, learning-curve.png and filters.png. Kill it any time and run the same",
                "command with --resume: it continues to the same weights.", ""},
        footer = {"", "Examples:", "  nndl train --model v3 --epochs 5", "  nndl train --model v3 --epochs 5 --resume",
                "  nndl train --model v0 --backend reference --data ~/mnist --out runs/v0-ref", ""})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "v0..v6|lenet5", description = "The network to train.")
    String model;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the published recipe's: 60 for v0-v5, 40 for v6, 20 for lenet5).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "10", description = "Mini-batch size (default: ${DEFAULT-VALUE}, as Nielsen's).")
    int batch;

    @Option(names = "--eta", paramLabel = "X", description = "Learning rate (default: the model's: 0.1 or 0.03 on the ladder, 0.05 for lenet5).")
    Float eta;

    @Option(names = "--lambda", paramLabel = "X", description = "L2 regularisation strength (default: the model's, 0 or 0.1).")
    Float lambda;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/MODEL).")
    Path outDir;

    @Mixin
    TrainingOptions options;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Model chosen = Model.of(model);
        Plan plan = options.update(new Plan(chosen, epochs != null ? epochs : chosen.epochs(), batch, eta != null ? eta : chosen.eta(),
                lambda != null ? lambda : chosen.lambda(), options.seed));
        Path dir = outDir != null ? outDir : Path.of("runs", chosen.id());
        try (KernelSet kernels = options.start(out)) {
            var data = chosen.data(options.load(out));
            out.printf(Locale.ROOT, "%s: %s; %d epoch%s of %,d images, mini-batch %d, eta %s%s, lambda %s, seed %d; %s reached %.2f %%%n", chosen.id(),
                    chosen.change(), plan.epochs(), plan.epochs() == 1 ? "" : "s", data.training().count(), plan.batch(), plan.eta(),
                    TrainingOptions.describeUpdate(plan), plan.lambda(), plan.seed(), chosen.publishedBy(), chosen.publishedAccuracy());
            Trainer.Result result = new Trainer(kernels, new ProgressBar(out, chosen.id())).train(plan, data, dir, options.resume);
            RunFiles.writeResults(dir.resolve(RunFiles.RESULTS_CSV), List.of(RunFiles.ResultRow.of(result)), kernels);
            summary(out, result);
            out.printf("files in %s%n", dir);
        }
        out.flush();
        return 0;
    }

    static void summary(PrintWriter out, Trainer.Result result) {
        Epoch best = result.best();
        Model model = result.plan().model();
        out.printf(Locale.ROOT, "%s: best validation epoch %d of %d: validation %.2f %%, test %.2f %% (%s %.2f %%, %+.2f points), %,.0f img/s%n",
                model.id(), best.epoch(), result.history().size(), best.validationAccuracy(), best.testAccuracy(), model.publishedBy(),
                model.publishedAccuracy(), best.testAccuracy() - model.publishedAccuracy(), result.imagesPerSecond());
        out.flush();
    }
}
