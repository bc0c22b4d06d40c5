package dev.nndl.cli;

import dev.nndl.network.Model;
import dev.nndl.network.Network;
import dev.nndl.network.data.Idx;
import dev.nndl.network.data.Pictures;
import dev.nndl.network.train.Checkpoint;
import dev.nndl.network.train.ImageClasses;
import dev.nndl.network.train.Json;
import dev.nndl.network.train.Predictions;
import dev.nndl.spi.KernelSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nndl predict}: a trained network's answer for pictures of your own, each prepared as its training images were. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify pictures with a trained network: print each one's class and its three most probable classes.",
                "RUN_OR_FILE is a run directory (its best.nndl) or a checkpoint file.",
                "For MNIST's models (v0..v6, lenet5) an IMAGE is a picture (PNG, JPEG, BMP, GIF, any size) prepared as MNIST was made: "
                + "grey-scaled (luminance), inverted when its border is light so that the ink is light, made bilevel, cropped to the ink, "
                + "scaled with area averaging so that its longer side is 20 pixels (the aspect ratio kept), and placed in a 28x28 field "
                + "with its centre of mass at the centre; or an idx3 images file (raw or .gz), each of whose 28x28 images is taken as it is.",
                "For a model of colour images (alexnet, googlenet) an IMAGE is rescaled to the model's image side on its shorter side "
                + "(256 for alexnet) and centre-cropped to its input (227), as evaluation does, less the training set's mean image; the class names "
                + "and the mean come from classes.txt and mean.safetensors beside the checkpoint, which nndl train writes.", ""},
        footer = {"", "Examples:", "  nndl predict runs/v3 digit.png", "  nndl predict runs/v3 t10k-images-idx3-ubyte --labels t10k-labels-idx1-ubyte",
                "  nndl predict runs/v3 --json *.png", "  nndl predict runs/alexnet photo.jpg", "",
                "Output: a line per image, e.g. digit.png: 7 (7 98.1 %%, 1 1.2 %%, 9 0.3 %%); with --json one JSON array of "
                + "{\"image\", \"class\", \"top\": [{\"class\", \"probability\"}, ...]} (and \"name\" for a model of colour images).", "",
                "Exit code: 0 when every image is classified, 2 when RUN_OR_FILE, an IMAGE or an option cannot be used; "
                + "the message says which, in one line.", ""})
final class PredictCommand implements Callable<Integer> {

    /** The most probable classes printed for each image. */
    static final int TOP = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_OR_FILE", description = "A run directory (its best.nndl answers) or a checkpoint file (.nndl).")
    Path source;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Pictures (PNG, JPEG, BMP, GIF), or idx3 image files for MNIST's models.")
    List<Path> images;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "An idx1 label file (raw or .gz) with a label for every image, in order: print each image's label and the accuracy.")
    Path labelsFile;

    @Option(names = "--json", description = "Print one JSON array instead of lines, each image's label too with --labels (no accuracy line).")
    boolean json;

    @Option(names = "--save-prepared", paramLabel = "DIR",
            description = "Also write each image as the network sees it, as a PNG in DIR: the 28x28 digit, or the colour crop before the mean is subtracted.")
    Path saveDir;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend to compute on: auto, reference, cpu, aparapi, tornado (default: -Dnndl.backend, else NNDL_BACKEND, else auto).")
    String backend;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (saveDir != null && Files.exists(saveDir) && !Files.isDirectory(saveDir)) {
            throw new IllegalArgumentException("--save-prepared " + saveDir + " is a file, not a directory");
        }
        // a missing image is named before a checkpoint of hundreds of megabytes is read
        for (Path image : images) if (!Files.exists(image)) throw new java.nio.file.NoSuchFileException(image.toString());
        Path file = ExportCommand.checkpoint(source);
        Checkpoint checkpoint = Checkpoint.read(file);
        Model model = checkpoint.plan().model();
        Prepared prepared = prepare(file, model, images);
        Pictures pictures = prepared.pictures();
        List<String> names = prepared.names();
        int[] labels = labelsFile == null ? null : labels(pictures.count(), (int) model.architecture().output().size());
        if (saveDir != null) save(pictures);
        Predictions predictions;
        // the backend's line goes to standard error: standard output holds the answers only
        try (KernelSet kernels = TrainingOptions.start(backend, err)) {
            Network network = checkpoint.network(kernels, file, Math.min(checkpoint.plan().batch(), pictures.count()));
            predictions = Predictions.of(network, pictures.samples());
        }
        if (json) json(out, pictures.names(), predictions, labels, names);
        else lines(out, pictures.names(), predictions, labels, names);
        out.flush();
        return 0;
    }

    /** The images as a model reads them, and its class names: null for MNIST's, whose classes are the digits. */
    record Prepared(Pictures pictures, List<String> names) {}

    /** {@code images} prepared as {@code model}, from {@code checkpoint}, reads them; a model that reads no images is refused. */
    static Prepared prepare(Path checkpoint, Model model, List<Path> images) throws java.io.IOException {
        return switch (model.reads()) {
            case Model.Input.Digits _ -> new Prepared(Pictures.digits(images), null);
            case Model.Input.Colour colour -> {
                ImageClasses classes = ImageClasses.read(checkpoint, model);
                yield new Prepared(Pictures.colour(images, colour, classes.mean(), classes.names()), classes.names());
            }
            case Model.Input.Other other -> throw new IllegalArgumentException(checkpoint + " holds " + model.id() + ", which reads " + other.what()
                    + ", not images; predict classifies images, with MNIST's models (v0..v6, lenet5) or a model of colour images (alexnet, googlenet)");
        };
    }

    /** The labels of {@code --labels}: one for each of {@code count} images, each one of the model's {@code classes}. */
    private int[] labels(int count, int classes) throws java.io.IOException {
        byte[] bytes = Idx.readLabels(labelsFile);
        if (bytes.length != count) {
            throw new IllegalArgumentException("--labels " + labelsFile + " holds " + bytes.length + " labels for " + count + (count == 1 ? " image" : " images")
                    + "; give the label file of the same images");
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = bytes[i] & 0xff;
            if (labels[i] >= classes) throw new IllegalArgumentException("--labels " + labelsFile + " holds label " + labels[i] + " at " + i + "; the model has " + classes + " classes");
        }
        return labels;
    }

    /** The {@link #TOP} most probable classes of image {@code i}, most probable first (the lower class first among equals). */
    static List<Integer> top(Predictions predictions, int i, int classes) {
        float[] p = predictions.probabilities();
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < classes; c++) order.add(c);
        order.sort((a, b) -> Float.compare(p[i * classes + b], p[i * classes + a]));
        return order.subList(0, Math.min(TOP, classes));
    }

    /** A class as output names it: its name for a model of colour images, its number (the digit) for MNIST's. */
    private static String name(List<String> names, int c) {
        return names == null ? String.valueOf(c) : names.get(c);
    }

    /** A line per image, {@code NAME: CLASS (CLASS P %, ...)}, then the accuracy where there are labels. */
    static void lines(PrintWriter out, List<String> images, Predictions predictions, int[] labels, List<String> names) {
        int classes = predictions.probabilities().length / images.size(), right = 0;
        for (int i = 0; i < images.size(); i++) {
            StringBuilder line = new StringBuilder(images.get(i)).append(": ").append(name(names, predictions.classes()[i])).append(" (");
            List<Integer> top = top(predictions, i, classes);
            for (int k = 0; k < top.size(); k++) {
                line.append(k == 0 ? "" : ", ").append(name(names, top.get(k)))
                        .append(String.format(Locale.ROOT, " %.1f %%", 100 * predictions.probabilities()[i * classes + top.get(k)]));
            }
            line.append(')');
            if (labels != null) {
                line.append(", label ").append(name(names, labels[i]));
                if (labels[i] == predictions.classes()[i]) right++;
            }
            out.println(line);
        }
        if (labels != null) {
            out.printf(Locale.ROOT, "accuracy: %.2f %% (%,d of %,d images)%n", 100.0 * right / images.size(), right, images.size());
        }
    }

    /**
     * One JSON array, an object per image on a line of its own: {@code image}, {@code class} (its
     * number), {@code name} for a model of colour images, {@code label} with --labels, and
     * {@code top}, the most probable classes with their {@code probability}.
     */
    static void json(PrintWriter out, List<String> images, Predictions predictions, int[] labels, List<String> names) {
        int classes = predictions.probabilities().length / images.size();
        out.println("[");
        for (int i = 0; i < images.size(); i++) {
            StringBuilder o = new StringBuilder("{\"image\": ").append(Json.quote(images.get(i)));
            o.append(", ").append(jsonClass(predictions.classes()[i], names));
            if (labels != null) o.append(", \"label\": ").append(labels[i]);
            o.append(", \"top\": [");
            List<Integer> top = top(predictions, i, classes);
            for (int k = 0; k < top.size(); k++) {
                float p = predictions.probabilities()[i * classes + top.get(k)];
                o.append(k == 0 ? "{" : ", {").append(jsonClass(top.get(k), names))
                        .append(", \"probability\": ").append(Float.isFinite(p) ? Float.toString(p) : "null").append('}');
            }
            out.println(o.append("]}").append(i < images.size() - 1 ? "," : ""));
        }
        out.println("]");
    }

    /** {@code "class": C}, and {@code "name": "NAME"} where the classes have names. */
    private static String jsonClass(int c, List<String> names) {
        return "\"class\": " + c + (names == null ? "" : ", \"name\": " + Json.quote(names.get(c)));
    }

    /** Each picture as the network sees it, a PNG in {@link #saveDir} named after its file (and its index in an idx file). */
    private void save(Pictures pictures) throws java.io.IOException {
        Files.createDirectories(saveDir);
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < pictures.count(); i++) {
            String base = Path.of(pictures.names().get(i).replaceAll("\\[(\\d+)]$", "-$1")).getFileName().toString().replaceFirst("\\.[A-Za-z]+$", "");
            String png = base + ".png";
            for (int n = 2; !taken.add(png); n++) png = base + "-" + n + ".png";
            ImageIO.write(pictures.prepared(i), "png", saveDir.resolve(png).toFile());
        }
    }
}
