package dev.nndl.cli;

import dev.nndl.network.GoogLeNet;
import dev.nndl.network.ImageModel;
import dev.nndl.network.Model;
import dev.nndl.network.data.AugmentedImages;
import dev.nndl.network.data.ImageFolder;
import dev.nndl.network.data.Images;
import dev.nndl.network.data.Mnist;
import dev.nndl.network.data.Samples;
import dev.nndl.network.data.SyntheticTextures;
import dev.nndl.network.recurrent.RecurrentModel;
import dev.nndl.network.train.Epoch;
import dev.nndl.network.train.ImageClasses;
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

/** {@code nndl train}: one rung of Nielsen's ladder, or LeNet-5, on MNIST, AlexNet or GoogLeNet on colour images, or an LSTM or RNN on sequences; checkpointed every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train one rung of Nielsen's ladder (v0..v6) or LeNet-5 (lenet5) on MNIST, AlexNet "
                + "(alexnet) or GoogLeNet (googlenet) on colour images, or an LSTM or RNN (lstm, rnn) on sequences.",
                "MNIST: trains on the first 50,000 training images (250,000 shifted copies for v4-v6), validates "
                + "on the last 10,000 and tests on t10k after every epoch. AlexNet and GoogLeNet: train on a folder of images "
                + "(--images) or generated textures (--synthetic), 80 %% to train, 10 %% to validate, 10 %% to test, "
                + "with AlexNet's random crops (227 of 256; GoogLeNet's --input-size of 8/7 of it, 224 of 256), flips "
                + "and mean image. lstm, rnn: a recurrent layer and a "
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
                "  nndl train --model googlenet --synthetic 4 --width 0.25 --input-size 96 --epochs 5    (runs/googlenet-w0.25-i96)",
                "  nndl train --model v4 --init v3.safetensors    (start from exported weights)",
                "  nndl train --model lstm --epochs 5    (64 units, 20 steps of 8 symbols)",
                "  nndl train --model rnn --steps 50 --symbols 4 --hidden 32    (the model rnn-h32-t50-s4)",
                "  nndl train --model v3 --epochs 5 --seeds 1..4    (four runs, one after another, into runs/v3-seeds/seed-1 ...)",
                "  nndl train --model v3 --epochs 5 --seeds 1..4 --spark --threads 1    (the same four as Spark tasks, one core each)", ""})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "v0..v6|lenet5|alexnet|googlenet|lstm|rnn",
            description = "The network to train; alexnet-N and googlenet-N insist on N classes, googlenet-N-wX-iS is also --width X --input-size S, "
                    + "and lstm-hH-tT-sS is also --hidden H --steps T --symbols S.")
    String model;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: the published recipe's: 60 for v0-v5, 40 for v6, 20 for lenet5, 90 for alexnet, "
            + "60 for googlenet, 10 for lstm and rnn).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Mini-batch size (default: the recipe's: 10, as Nielsen's; 128 for alexnet; 32 for googlenet, lstm and rnn).")
    Integer batch;

    @Option(names = "--eta", paramLabel = "X", description = "Learning rate (default: the model's: 0.1 or 0.03 on the ladder, 0.05 for lenet5, 0.01 for alexnet and googlenet, "
            + "0.5 for lstm and rnn).")
    Float eta;

    @Option(names = "--lambda", paramLabel = "X",
            description = "L2 regularisation strength (default: the model's, 0 or 0.1); for alexnet and googlenet the weight decay per step (0.0005, 0.0002).")
    Float lambda;

    @Option(names = "--images", paramLabel = "DIR",
            description = "alexnet, googlenet: a folder with one subfolder of images per class (PNG, JPEG, BMP, GIF), rescaled to 256 "
                    + "on the shorter side (8/7 of googlenet's --input-size) and centre-cropped.")
    Path images;

    @Option(names = "--synthetic", paramLabel = "CLASSES", arity = "0..1", fallbackValue = "10",
            description = "alexnet, googlenet: train on generated textures instead, " + SYNTHETIC_PER_CLASS + " images of each of CLASSES classes (default 10).")
    Integer synthetic;

    static final int SYNTHETIC_PER_CLASS = 240;

    @Option(names = "--width", paramLabel = "X",
            description = "googlenet: every layer's channels times X, at least 1 each: 0.25 has about a sixteenth of the multiply-adds (default 1, the paper's).")
    Float width;

    @Option(names = "--input-size", paramLabel = "PIXELS",
            description = "googlenet: the side of its input crop, " + GoogLeNet.MIN_CROP + " to " + GoogLeNet.MAX_CROP
                    + "; the final average pool covers what is left (default 224, the paper's).")
    Integer inputSize;

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
            + "and one that already holds a run needs --resume or --force. With --seeds and --spark, also a Hadoop file system URI: "
            + "hdfs://NAMENODE/PATH, s3a://BUCKET/PATH or file:///PATH.")
    String outDir;

    @Option(names = "--seeds", paramLabel = "FIRST..LAST|S,S,...",
            description = "Train once from each of these seeds, each run into OUT/seed-S (default OUT: runs/MODEL-seeds), then write "
                    + "OUT/results.csv and OUT/results.png with every seed's result and their mean; instead of --seed.")
    String seeds;

    @Option(names = "--spark", paramLabel = "MASTER", arity = "0..1", fallbackValue = Cluster.LOCAL,
            description = "With --seeds: run each seed as a task of Apache Spark, on MASTER: local[*] (Spark in this JVM, a task per "
                    + "core; the default), local[N], or spark://HOST:PORT (a standalone cluster). --threads sets each task's cores.")
    String spark;

    @Mixin
    TrainingOptions options;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Model chosen = shaped(named());
        boolean colour = chosen instanceof ImageModel;
        check(chosen, colour);
        if (chosen instanceof RecurrentModel recurrent) chosen = sized(recurrent);
        if (seeds != null) return seedRuns(out, chosen, colour);
        if (spark != null) throw new IllegalArgumentException("--spark runs several trainings at once: give --seeds too, e.g. --seeds 1..4");
        Path dir = outDir != null ? OutDir.local(outDir, "add --seeds and --spark MASTER") : Path.of("runs", chosen.id());
        try (RunDirectory held = options.claim(dir, spec); KernelSet kernels = options.start(out)) {
            Images pictures = colour ? pictures(out, (ImageModel) chosen) : null;
            if (colour) chosen = sized((ImageModel) chosen, pictures.classes().size());
            List<float[]> initial = init == null ? null : initial(out, chosen);
            Plan plan = options.update(new Plan(chosen, epochs != null ? epochs : chosen.epochs(), batch != null ? batch : chosen.batch(),
                    eta != null ? eta : chosen.eta(), lambda != null ? lambda : chosen.lambda(), options.seed, chosen.momentum(), chosen.schedule()));
            Images.Splits split = colour ? pictures.split(0.1) : null;
            ImageClasses kept = colour ? new ImageClasses(pictures.classes(), split.training().mean(), pictures.side()) : null;
            Samples[] data = colour ? augmented(split, kept.mean(), ((ImageModel) chosen).crop(), plan.seed())
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
            if (kept != null) kept.write(dir); // the class names and mean image, which nndl predict needs
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

    /** {@code --seeds}: a run per seed, here or on Spark, into {@code OUT/seed-S}; MNIST is fetched once, before any starts. */
    private int seedRuns(PrintWriter out, Model chosen, boolean colour) throws Exception {
        List<Long> list = SeedRuns.parse(seeds);
        if (spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
            throw new IllegalArgumentException("--seed " + options.seed + " and --seeds " + seeds + ": give one of them");
        }
        Cluster cluster = spark == null ? null : Cluster.find();
        String dir = outDir != null ? outDir : Path.of("runs", chosen.id() + "-seeds").toString();
        try (OutDir runs = OutDir.open(dir, cluster, "add --spark MASTER", options, spec)) {
            Path data = colour || chosen instanceof RecurrentModel ? null : TrainingOptions.locate(options.data, out);
            return SeedRuns.run(SeedRuns.jobs(spec.commandLine().getParseResult(), list, runs, data), list, runs, cluster, spark, options.threads, out);
        }
    }

    /** The weights of --init, checked against the model before the data loads (but for an image model's pictures, which size it). */
    private List<float[]> initial(PrintWriter out, Model chosen) throws java.io.IOException {
        SafeTensors.Weights weights = SafeTensors.read(init, chosen);
        String from = weights.metadata().get("model");
        out.printf(Locale.ROOT, "initial weights from %s%s%n", init, from == null ? "" : " (exported from " + from
                + (weights.metadata().containsKey("epochs_trained") ? " after " + weights.metadata().get("epochs_trained") + " epochs" : "") + ")");
        out.flush();
        return weights.parameters();
    }

    /** The model --model names, or an error that names the option. */
    private Model named() {
        try {
            return Model.of(model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model " + model + ": " + e.getMessage(), e);
        }
    }

    /** {@code chosen} with --width and --input-size, which only GoogLeNet takes, and once: as the option or in its id. */
    private Model shaped(Model chosen) {
        if (width == null && inputSize == null) return chosen;
        if (!(chosen instanceof GoogLeNet named)) {
            throw new IllegalArgumentException("--width and --input-size are for googlenet; " + model + " has its paper's channels and input size");
        }
        String id = model.toLowerCase(Locale.ROOT);
        if (width != null && id.contains("-w")) throw new IllegalArgumentException("--width " + width + " and --model " + model + " both give a width; give it once");
        if (inputSize != null && id.contains("-i")) {
            throw new IllegalArgumentException("--input-size " + inputSize + " and --model " + model + " both give an input size; give it once");
        }
        TrainingOptions.require(width == null || (width > 0 && width <= 1), "--width", width, GoogLeNet.WIDTHS);
        TrainingOptions.require(inputSize == null || (inputSize >= GoogLeNet.MIN_CROP && inputSize <= GoogLeNet.MAX_CROP), "--input-size", inputSize,
                GoogLeNet.CROPS);
        return named.withWidth(width != null ? width : named.width()).withCrop(inputSize != null ? inputSize : named.crop());
    }

    /** Every option against its range and the model, before anything is loaded, started or built. */
    private void check(Model chosen, boolean imageModel) {
        if (!imageModel && (images != null || synthetic != null)) {
            throw new IllegalArgumentException("--images and --synthetic are for alexnet and googlenet; " + model
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
        if (imageModel && (images == null) == (synthetic == null)) {
            throw new IllegalArgumentException(model + " trains on colour images: give --images DIR (one subfolder of images per class) or --synthetic, one of them");
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
            if (synthetic >= 2) sized((ImageModel) chosen, synthetic); // the class count first: it needs no memory
            long perClass = syntheticBytesPerClass(((ImageModel) chosen).imageSide());
            long most = Runtime.getRuntime().maxMemory() / 3 / perClass;
            TrainingOptions.require(synthetic >= 2 && synthetic <= most, "--synthetic", synthetic, String.format(Locale.ROOT,
                    "use 2 to %d classes: each takes %.0f MB, and this JVM may use %.1f GB (raise -Xmx in NNDL_JAVA_OPTS for more)", most,
                    perClass / 1e6, Runtime.getRuntime().maxMemory() / 1e9));
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

    /** The images the generator draws for one class: {@code SYNTHETIC_PER_CLASS} of {@code side x side x 3} bytes. */
    static long syntheticBytesPerClass(int side) {
        return SYNTHETIC_PER_CLASS * 3L * side * side;
    }

    /** {@code alexnet} takes the data's classes; {@code alexnet-N} must have N of them (and so for googlenet). */
    private ImageModel sized(ImageModel named, int classes) {
        if (!model.matches("(?i)[a-z]+-[0-9]+(-.*)?")) return named.withClasses(classes);
        if (named.classes() != classes) {
            throw new IllegalArgumentException("--model " + model + " has " + named.classes() + " classes, but "
                    + (images != null ? "--images " + images : "--synthetic") + " has " + classes + "; give --model "
                    + model.replaceFirst("-[0-9]+", "") + " to take the data's classes");
        }
        return named;
    }

    /** {@code 0.0005}, not {@code 5.0E-4} (nor {@code 0.00050}, the exponent form's mantissa written out). */
    static String plain(float x) {
        String s = Float.toString(x);
        return s.contains("E") ? new java.math.BigDecimal(s).stripTrailingZeros().toPlainString() : s;
    }

    private static Samples[] samples(Mnist.Splits s) {
        return new Samples[] {s.training(), s.validation(), s.test()};
    }

    /** The folder's images or the generated textures at the model's image side, in one shuffled order. */
    private Images pictures(PrintWriter out, ImageModel chosen) throws java.io.IOException {
        return pictures(out, images, synthetic, chosen);
    }

    /** The pictures of {@code --images DIR} or {@code --synthetic CLASSES} (one of them null), as {@code chosen} sees them, in train's one shuffled order. */
    static Images pictures(PrintWriter out, Path images, Integer synthetic, ImageModel chosen) throws java.io.IOException {
        long start = System.nanoTime();
        Images loaded = images != null ? ImageFolder.load(images, chosen.imageSide()).shuffle(1)
                : SyntheticTextures.generate(synthetic, SYNTHETIC_PER_CLASS, chosen.imageSide(), 1);
        out.printf(Locale.ROOT, "%,d images of %d classes (%s) from %s in %.1f s%n", loaded.count(), loaded.classes().size(),
                String.join(", ", loaded.classes()), images != null ? images : "the texture generator", (System.nanoTime() - start) * 1e-9);
        out.flush();
        return loaded;
    }

    /** 80 % to train, 10 % each to validate and test, all with the training set's {@code mean} image subtracted and cut to {@code crop} square. */
    private static Samples[] augmented(Images.Splits s, float[] mean, int crop, long seed) {
        return new Samples[] {new AugmentedImages(s.training(), mean, crop, seed), new AugmentedImages(s.validation(), mean, crop, seed),
                new AugmentedImages(s.test(), mean, crop, seed)};
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
