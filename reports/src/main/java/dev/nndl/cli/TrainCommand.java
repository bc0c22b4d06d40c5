package dev.nndl.cli;

import dev.nndl.network.AlexNet;
import dev.nndl.network.Model;
import dev.nndl.network.data.AugmentedImages;
import dev.nndl.network.data.ImageFolder;
import dev.nndl.network.data.Images;
import dev.nndl.network.data.Mnist;
import dev.nndl.network.data.Samples;
import dev.nndl.network.data.SyntheticTextures;
import dev.nndl.network.recurrent.RecurrentModel;
import dev.nndl.network.train.Epoch;
import dev.nndl.network.train.Plan;
import dev.nndl.network.train.RunDirectory;
import dev.nndl.network.train.RunFiles;
import dev.nndl.network.train.SafeTensors;
import dev.nndl.network.train.Trainer;
import dev.nndl.spi.KernelSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nndl train}: one rung of Nielsen's ladder, or LeNet-5, on MNIST, AlexNet on colour images, or an LSTM or RNN on sequences; checkpointed every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train one rung of Nielsen's ladder (v0..v6) or LeNet-5 (lenet5) on MNIST, AlexNet "
                + "(alexnet) on colour images, or an LSTM or RNN (lstm, rnn) on sequences.",
                "MNIST: trains on the first 50,000 training images (250,000 shifted copies for v4-v6), validates "
                + "on the last 10,000 and tests on t10k after every epoch. AlexNet: trains on a folder of images "
                + "(--images) or generated textures (--synthetic), 80 %% to train, 10 %% to validate, 10 %% to test, "
                + "with the paper's random 227x227 crops, flips and mean image. lstm, rnn: a recurrent layer and a "
                + "softmax name the first symbol of sequences of random one-hot symbols, " + RecurrentModel.TRAINING + " generated to train, "
                + RecurrentModel.VALIDATION + " to validate, " + RecurrentModel.TEST + " to test (--steps, --symbols, --hidden; "
                + "the model id lstm-h64-t20-s8 says the same). Reports the test accuracy at the best validation epoch.",
                "The output directory gets a checkpoint after every epoch, the best weights, epochs.csv, "
                + "results.csv, learning-curve.png and filters.png. Kill it any time and run the same command "
                + "with --resume: it continues to the same weights.", ""},
        footer = {"", "Examples:", "  nndl train --model v3 --epochs 5", "  nndl train --model v3 --epochs 5 --resume",
                "  nndl train --model v0 --backend reference --data ~/mnist --out runs/v0-ref",
                "  nndl train --model alexnet --synthetic --epochs 10 --batch 16",
                "  nndl train --model v3 --epochs 5 --out runs/v3 --force    (start over where a run already is)",
                "  nndl train --model alexnet --images ~/photos --epochs 30    (~/photos/cats/*.jpg, ~/photos/dogs/*.jpg, ...)",
                "  nndl train --model v4 --init v3.safetensors    (start from exported weights)",
                "  nndl train --model lstm --epochs 5    (64 units, 20 steps of 8 symbols)",
                "  nndl train --model rnn --steps 50 --symbols 4 --hidden 32    (the model rnn-h32-t50-s4)", ""})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "v0..v6|lenet5|alexnet|lstm|rnn", description = "The network to train.")
    String model;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the published recipe's: 60 for v0-v5, 40 for v6, 20 for lenet5, 90 for alexnet, 10 for lstm and rnn).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Mini-batch size (default: the recipe's: 10, as Nielsen's; 128 for alexnet; 32 for lstm and rnn).")
    Integer batch;

    @Option(names = "--eta", paramLabel = "X", description = "Learning rate (default: the model's: 0.1 or 0.03 on the ladder, 0.05 for lenet5, 0.01 for alexnet, 0.5 for lstm and rnn).")
    Float eta;

    @Option(names = "--lambda", paramLabel = "X",
            description = "L2 regularisation strength (default: the model's, 0 or 0.1); for alexnet the weight decay per step (0.0005).")
    Float lambda;

    @Option(names = "--images", paramLabel = "DIR",
            description = "alexnet: a folder with one subfolder of images per class (PNG, JPEG, BMP, GIF), rescaled to 256 on the shorter side and centre-cropped.")
    Path images;

    @Option(names = "--synthetic", paramLabel = "CLASSES", arity = "0..1", fallbackValue = "10",
            description = "alexnet: train on generated textures instead, " + SYNTHETIC_PER_CLASS + " images of each of CLASSES classes (default 10).")
    Integer synthetic;

    static final int SYNTHETIC_PER_CLASS = 240;

    @Option(names = "--steps", paramLabel = "T", description = "lstm, rnn: time steps of a sequence, 1 to " + RecurrentModel.MAX_STEPS
            + " (default " + RecurrentModel.STEPS + ", or the model id's -tT).")
    Integer steps;

    @Option(names = "--symbols", paramLabel = "S", description = "lstm, rnn: symbols to draw from, and classes, 2 to " + RecurrentModel.MAX_SYMBOLS
            + " (default " + RecurrentModel.SYMBOLS + ", or the model id's -sS).")
    Integer symbols;

    @Option(names = "--hidden", paramLabel = "H", description = "lstm, rnn: hidden units of the recurrent layer, 1 to " + RecurrentModel.MAX_HIDDEN
            + " (default " + RecurrentModel.HIDDEN + ", or the model id's -hH).")
    Integer hidden;

    @Option(names = "--init", paramLabel = "FILE.safetensors",
            description = "Start from these weights instead of the seed's (nndl export writes them; PyTorch's safetensors.torch.save_file too): "
                    + "a tensor per parameter, named and shaped as the model's. With --resume, only a run without a checkpoint starts from them.")
    Path init;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/MODEL); one run at a time, "
            + "and one that already holds a run needs --resume or --force.")
    Path outDir;

    @Mixin
    TrainingOptions options;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Model chosen = Model.of(model);
        boolean alexNet = chosen instanceof AlexNet;
        check(chosen, alexNet);
        if (chosen instanceof RecurrentModel recurrent) chosen = sized(recurrent);
        Path dir = outDir != null ? outDir : Path.of("runs", chosen.id());
        try (RunDirectory held = options.claim(dir, spec); KernelSet kernels = options.start(out)) {
            Images pictures = alexNet ? pictures(out) : null;
            if (alexNet) chosen = sized((AlexNet) chosen, pictures.classes().size());
            List<float[]> initial = init == null ? null : initial(out, chosen);
            Plan plan = options.update(new Plan(chosen, epochs != null ? epochs : chosen.epochs(), batch != null ? batch : chosen.batch(),
                    eta != null ? eta : chosen.eta(), lambda != null ? lambda : chosen.lambda(), options.seed, chosen.momentum(), chosen.schedule()));
            Samples[] data = alexNet ? augmented(pictures, plan.seed())
                    : chosen instanceof RecurrentModel recurrent ? recurrent.sets().toArray(Samples[]::new) : samples(chosen.data(options.load(out)));
            TrainingOptions.require(plan.batch() <= data[0].count(), "--batch", plan.batch(), "more than the " + data[0].count()
                    + " training images; use at most " + data[0].count());
            String published = Double.isNaN(chosen.publishedAccuracy()) ? "nothing published to compare with on this data"
                    : String.format(Locale.ROOT, "%s reached %.2f %%", chosen.publishedBy(), chosen.publishedAccuracy());
            out.printf(Locale.ROOT, "%s: %s; %d epoch%s of %,d %s, mini-batch %d, eta %s%s, lambda %s, seed %d; %s%n", chosen.id(),
                    chosen.change(), plan.epochs(), plan.epochs() == 1 ? "" : "s", data[0].count(),
                    chosen instanceof RecurrentModel ? "sequences" : "images", plan.batch(), plain(plan.eta()),
                    TrainingOptions.describeUpdate(plan) + (chosen instanceof RecurrentModel ? ", gradient norm clipped to " + plain(RecurrentModel.CLIP) : ""),
                    plain(plan.lambda()), plan.seed(), published);
            Trainer trainer = new Trainer(kernels, new ProgressBar(out, chosen.id()));
            if (initial != null) trainer = trainer.startingFrom(initial);
            Trainer.Result result = trainer.train(plan, data[0], data[1], data[2], dir, options.existing());
            RunFiles.writeResults(dir.resolve(RunFiles.RESULTS_CSV), List.of(RunFiles.ResultRow.of(result)), kernels);
            summary(out, result);
            out.printf("files in %s%n", dir);
        }
        out.flush();
        return 0;
    }

    /** The weights of --init, checked against the model before the data loads (but for AlexNet's pictures, which size it). */
    private List<float[]> initial(PrintWriter out, Model chosen) throws java.io.IOException {
        SafeTensors.Weights weights = SafeTensors.read(init, chosen);
        String from = weights.metadata().get("model");
        out.printf(Locale.ROOT, "initial weights from %s%s%n", init, from == null ? "" : " (exported from " + from
                + (weights.metadata().containsKey("epochs_trained") ? " after " + weights.metadata().get("epochs_trained") + " epochs" : "") + ")");
        out.flush();
        return weights.parameters();
    }

    /** Every option against its range and the model, before anything is loaded, started or built. */
    private void check(Model chosen, boolean alexNet) {
        if (!alexNet && (images != null || synthetic != null)) {
            throw new IllegalArgumentException("--images and --synthetic are for alexnet; " + model
                    + (chosen instanceof RecurrentModel ? " trains on sequences it generates (--steps, --symbols)" : " trains on MNIST (--data DIR)"));
        }
        if (!(chosen instanceof RecurrentModel) && (steps != null || symbols != null || hidden != null)) {
            throw new IllegalArgumentException("--steps, --symbols and --hidden are for lstm and rnn; " + model + " has no recurrent layer");
        }
        if (chosen instanceof RecurrentModel && options.data != null) {
            throw new IllegalArgumentException("--data is for the MNIST models; " + model + " trains on sequences it generates (--steps, --symbols)");
        }
        TrainingOptions.require(steps == null || (steps >= 1 && steps <= RecurrentModel.MAX_STEPS), "--steps", steps, "use 1 to " + RecurrentModel.MAX_STEPS + " time steps");
        TrainingOptions.require(symbols == null || (symbols >= 2 && symbols <= RecurrentModel.MAX_SYMBOLS), "--symbols", symbols,
                "use 2 to " + RecurrentModel.MAX_SYMBOLS + " symbols");
        TrainingOptions.require(hidden == null || (hidden >= 1 && hidden <= RecurrentModel.MAX_HIDDEN), "--hidden", hidden, "use 1 to " + RecurrentModel.MAX_HIDDEN + " units");
        if (alexNet && (images == null) == (synthetic == null)) {
            throw new IllegalArgumentException("alexnet trains on colour images: give --images DIR (one subfolder of images per class) or --synthetic, one of them");
        }
        TrainingOptions.require(epochs == null || (epochs >= 1 && epochs <= TrainingOptions.MAX_EPOCHS), "--epochs", epochs,
                "use 1 to " + TrainingOptions.MAX_EPOCHS);
        TrainingOptions.require(batch == null || (batch >= 1 && batch <= Plan.MAX_BATCH), "--batch", batch,
                "use 1 to " + Plan.MAX_BATCH + " images (and at most the training images)");
        TrainingOptions.require(eta == null || (eta > 0 && Float.isFinite(eta)), "--eta", eta, "use a learning rate above 0");
        TrainingOptions.require(lambda == null || (lambda >= 0 && Float.isFinite(lambda)), "--lambda", lambda, "use 0 (none) or more");
        options.check();
        if (init != null && !Files.isRegularFile(init)) {
            throw new IllegalArgumentException("--init " + init + ": no such file; give a .safetensors file (nndl export writes them)");
        }
        if (synthetic != null) {
            long most = Runtime.getRuntime().maxMemory() / 3 / SYNTHETIC_BYTES_PER_CLASS;
            TrainingOptions.require(synthetic >= 2 && synthetic <= most, "--synthetic", synthetic, String.format(Locale.ROOT,
                    "use 2 to %d classes: each takes %.0f MB, and this JVM may use %.1f GB (raise -Xmx in NNDL_JAVA_OPTS for more)", most,
                    SYNTHETIC_BYTES_PER_CLASS / 1e6, Runtime.getRuntime().maxMemory() / 1e9));
            sized((AlexNet) chosen, synthetic);
        }
    }

    /** {@code --model} with --steps, --symbols and --hidden, which may not contradict sizes the model id gives. */
    private RecurrentModel sized(RecurrentModel named) {
        RecurrentModel plain = RecurrentModel.of(named.cell());
        return named.with(size("--hidden", hidden, named.hidden(), plain.hidden()), size("--steps", steps, named.steps(), plain.steps()),
                size("--symbols", symbols, named.symbols(), plain.symbols()));
    }

    private int size(String option, Integer given, int named, int plain) {
        if (given == null) return named;
        if (named != plain && given != named) {
            throw new IllegalArgumentException(option + " " + given + " contradicts --model " + model + ", which has " + named + "; give one of them");
        }
        return given;
    }

    /** The images the generator draws for one class: {@code SYNTHETIC_PER_CLASS} of 256 x 256 x 3 bytes. */
    static final long SYNTHETIC_BYTES_PER_CLASS = SYNTHETIC_PER_CLASS * 256L * 256 * 3;

    /** {@code alexnet} takes the data's classes; {@code alexnet-N} must have N of them. */
    private AlexNet sized(AlexNet named, int classes) {
        if (model.equalsIgnoreCase(AlexNet.ID)) return new AlexNet(classes);
        if (named.classes() != classes) {
            throw new IllegalArgumentException("--model " + model + " has " + named.classes() + " classes, but "
                    + (images != null ? "--images " + images : "--synthetic") + " has " + classes + "; give --model alexnet to take the data's classes");
        }
        return named;
    }

    /** {@code 0.0005}, not {@code 5.0E-4}. */
    static String plain(float x) {
        return new java.math.BigDecimal(Float.toString(x)).toPlainString();
    }

    private static Samples[] samples(Mnist.Splits s) {
        return new Samples[] {s.training(), s.validation(), s.test()};
    }

    /** The folder's images or the generated textures, in one shuffled order. */
    private Images pictures(PrintWriter out) throws java.io.IOException {
        long start = System.nanoTime();
        Images loaded = images != null ? ImageFolder.load(images, 256).shuffle(1)
                : SyntheticTextures.generate(synthetic, SYNTHETIC_PER_CLASS, 256, 1);
        out.printf(Locale.ROOT, "%,d images of %d classes (%s) from %s in %.1f s%n", loaded.count(), loaded.classes().size(),
                String.join(", ", loaded.classes()), images != null ? images : "the texture generator", (System.nanoTime() - start) * 1e-9);
        out.flush();
        return loaded;
    }

    /** 80 % to train, 10 % each to validate and test, all with the training set's mean image subtracted and cut to 227 x 227. */
    private static Samples[] augmented(Images pictures, long seed) {
        Images.Splits s = pictures.split(0.1);
        float[] mean = s.training().mean();
        return new Samples[] {new AugmentedImages(s.training(), mean, 227, seed), new AugmentedImages(s.validation(), mean, 227, seed),
                new AugmentedImages(s.test(), mean, 227, seed)};
    }

    static void summary(PrintWriter out, Trainer.Result result) {
        Epoch best = result.best();
        Model model = result.plan().model();
        String published = Double.isNaN(model.publishedAccuracy()) ? "" : String.format(Locale.ROOT, " (%s %.2f %%, %+.2f points)",
                model.publishedBy(), model.publishedAccuracy(), best.testAccuracy() - model.publishedAccuracy());
        out.printf(Locale.ROOT, "%s: best validation epoch %d of %d: validation %.2f %%, test %.2f %%%s, %,.0f img/s%n",
                model.id(), best.epoch(), result.history().size(), best.validationAccuracy(), best.testAccuracy(), published, result.imagesPerSecond());
        out.flush();
    }
}
