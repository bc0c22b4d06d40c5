package dev.nndl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nndl.network.AlexNet;
import dev.nndl.network.Model;
import dev.nndl.network.data.DigitImages;
import dev.nndl.network.data.IdxFiles;
import dev.nndl.network.train.Checkpoint;
import dev.nndl.network.train.ImageClasses;
import dev.nndl.network.train.Json;
import dev.nndl.network.train.Plan;
import dev.nndl.network.train.Predictions;
import dev.nndl.network.train.SafeTensors;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nndl predict} on a v1 trained for an epoch on generated idx files, on the drawn digit, and on models of colour images. */
class PredictCommandTest {

    /** The drawn 7 that the README predicts, relative to this module. */
    static final Path DIGIT = Path.of("..", "docs", "digit.png");

    @TempDir
    static Path shared;

    static Path mnist, run;

    @BeforeAll
    static void train() throws Exception {
        mnist = Files.createDirectory(shared.resolve("mnist"));
        run = shared.resolve("run");
        IdxFiles.writeMnist(mnist, 360, 120);
        CliRun trained = CliRun.of("train", "--model", "v1", "--epochs", "1", "--backend", "cpu", "--data", mnist.toString(), "--out", run.toString());
        assertEquals(0, trained.code(), trained.out() + trained.err());
    }

    @TempDir
    Path dir;

    /** {@code NAME: C (C P %, C P %, C P %)}, then {@code , label L} with --labels. */
    static final Pattern LINE = Pattern.compile("(.+): (\\d) \\((\\d) (\\d+\\.\\d) %, (\\d) (\\d+\\.\\d) %, (\\d) (\\d+\\.\\d) %\\)(, label (\\d))?");

    /** Each idx image gets the answer evaluate gives it, and --labels the accuracy evaluate reports. */
    @Test
    void idxImagesGetEvaluatesAnswersAndAccuracy() throws Exception {
        CliRun evaluated = CliRun.of("evaluate", run.toString(), "--backend", "cpu", "--data", mnist.toString(), "--out", dir.toString());
        assertEquals(0, evaluated.code(), evaluated.out() + evaluated.err());
        Matcher accuracy = Pattern.compile("v1 on the test set: (\\d+\\.\\d\\d %) \\((\\d+) of 120 images\\)").matcher(evaluated.out());
        assertTrue(accuracy.find(), evaluated.out());

        Path images = mnist.resolve("t10k-images-idx3-ubyte"), labels = mnist.resolve("t10k-labels-idx1-ubyte");
        CliRun predicted = CliRun.of("predict", run.toString(), images.toString(), "--labels", labels.toString(), "--backend", "cpu");
        assertEquals(0, predicted.code(), predicted.out() + predicted.err());
        List<String> lines = predicted.out().lines().toList();
        assertEquals(121, lines.size(), predicted.out());
        assertEquals("accuracy: " + accuracy.group(1) + " (" + accuracy.group(2) + " of 120 images)", lines.getLast());
        List<String> answers = Files.readAllLines(dir.resolve("predictions.csv"));
        for (int i = 0; i < 120; i++) {
            Matcher m = LINE.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            assertEquals(images + "[" + i + "]", m.group(1));
            assertEquals(m.group(2), m.group(3), "the answer is the most probable class: " + lines.get(i));
            String[] csv = answers.get(i + 1).split(",");
            assertEquals(csv[2], m.group(2), "evaluate's answer for image " + i);
            assertEquals(csv[1], m.group(10), "image " + i + "'s label");
        }
        assertTrue(predicted.err().startsWith("backend cpu on "), "the backend's line goes to standard error: " + predicted.err());
    }

    @Test
    void aPictureOfADigitGetsALineAndItsPreparedImage() throws Exception {
        Path prepared = dir.resolve("prepared");
        CliRun r = CliRun.of("predict", run.toString(), DIGIT.toString(), "--save-prepared", prepared.toString(), "--backend", "cpu");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        Matcher m = LINE.matcher(r.out().strip());
        assertTrue(m.matches() && m.group(1).equals(DIGIT.toString()) && m.group(10) == null, r.out());
        double p1 = Double.parseDouble(m.group(4)), p2 = Double.parseDouble(m.group(6)), p3 = Double.parseDouble(m.group(8));
        assertTrue(p1 >= p2 && p2 >= p3 && p1 + p2 + p3 <= 100.15, r.out());
        BufferedImage saved = ImageIO.read(prepared.resolve("digit.png").toFile()), expected = DigitImages.picture(DigitImages.read(DIGIT));
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) assertEquals(expected.getRaster().getSample(x, y, 0), saved.getRaster().getSample(x, y, 0), "(" + x + ", " + y + ")");
        }
    }

    /** One JSON document, names escaped: each image's class, the most probable first, the top three sorted and summing to at most 1. */
    @Test
    void jsonIsOneArrayWithTheTopThreeSorted() throws Exception {
        Path quoted = dir.resolve("say \"seven\" \\ twice.png"), idx = mnist.resolve("t10k-images-idx3-ubyte");
        Files.copy(DIGIT, quoted);
        CliRun r = CliRun.of("predict", run.toString(), quoted.toString(), idx.toString(), "--json", "--backend", "cpu");
        assertEquals(0, r.code(), r.out() + r.err());
        List<?> answers = (List<?>) Json.parse(r.out());
        assertEquals(121, answers.size());
        for (int i = 0; i < answers.size(); i++) {
            Map<?, ?> answer = (Map<?, ?>) answers.get(i);
            assertEquals(List.of("image", "class", "top"), new ArrayList<>(answer.keySet()));
            assertEquals(i == 0 ? quoted.toString() : idx + "[" + (i - 1) + "]", answer.get("image"));
            List<?> top = (List<?>) answer.get("top");
            assertEquals(3, top.size());
            double sum = 0, previous = 1;
            for (Object o : top) {
                Map<?, ?> entry = (Map<?, ?>) o;
                double p = ((Number) entry.get("probability")).doubleValue();
                assertTrue(p <= previous && p >= 0, "sorted, most probable first: " + answer);
                assertTrue((Long) entry.get("class") >= 0 && (Long) entry.get("class") <= 9, answer.toString());
                previous = p;
                sum += p;
            }
            assertTrue(sum <= 1 + 1e-6, "the top three sum to " + sum);
            assertEquals(answer.get("class"), ((Map<?, ?>) top.getFirst()).get("class"));
        }
    }

    static void refused(String start, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith(start), "expected: " + start + "\nwas:      " + r.err());
    }

    @Test
    void picturesThatCannotBeUsedAreNamedInOneLine() throws Exception {
        Path blank = dir.resolve("blank.png"), text = dir.resolve("notes.jpg");
        ImageIO.write(new BufferedImage(40, 60, BufferedImage.TYPE_BYTE_GRAY), "png", blank.toFile());
        Files.writeString(text, "a shopping list");
        refused("nndl predict: " + blank + ": holds no ink: no pixel differs from its dark background", "predict", run.toString(), DIGIT.toString(), blank.toString());
        refused("nndl predict: " + text + ": is not an image ImageIO can read; give a PNG, JPEG, BMP or GIF image (or an idx3 images file)",
                "predict", run.toString(), text.toString());
        refused("nndl predict: no such file or directory: " + dir.resolve("gone.png"), "predict", run.toString(), dir.resolve("gone.png").toString());
        refused("nndl predict: no such file or directory: " + dir.resolve("gone.png"), "predict", dir.resolve("no-run").toString(), dir.resolve("gone.png").toString());
        refused("nndl predict: --labels " + mnist.resolve("t10k-labels-idx1-ubyte") + " holds 120 labels for 1 image; give the label file of the same images",
                "predict", run.toString(), DIGIT.toString(), "--labels", mnist.resolve("t10k-labels-idx1-ubyte").toString());
        refused("nndl predict: " + dir + " holds no best.nndl", "predict", dir.toString(), DIGIT.toString());
        refused("nndl predict: --save-prepared " + text + " is a file, not a directory", "predict", run.toString(), DIGIT.toString(), "--save-prepared", text.toString());
        CliRun none = CliRun.of("predict", run.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("Missing required parameter: 'IMAGE'"), none.err());
    }

    /** An AlexNet checkpoint that holds no weights: enough to reach every check before the weights load. */
    private static Path emptyAlexNet(Path dir) throws Exception {
        Path file = dir.resolve("best.nndl");
        new Checkpoint(new Plan(new AlexNet(2), 1, 1, 0.01f, 0.0005f, 1), "cpu", 0, List.of(), List.of(), List.of()).write(file);
        return file;
    }

    @Test
    void aModelOfColourImagesNeedsItsClassNamesAndMeanImage() throws Exception {
        Path checkpoint = emptyAlexNet(dir), photo = dir.resolve("photo.png");
        Files.copy(DIGIT, photo);
        refused("nndl predict: " + checkpoint + ": has no classes.txt beside it: the names of alexnet-2's classes", "predict", dir.toString(), photo.toString());
        Files.writeString(dir.resolve("classes.txt"), "cats\ndogs\nbirds\n");
        refused("nndl predict: " + checkpoint + ": has no mean.safetensors beside it", "predict", dir.toString(), photo.toString());
        new ImageClasses(List.of("cats", "dogs", "birds"), new float[3 * 256 * 256], 256).write(dir);
        refused("nndl predict: " + dir.resolve("classes.txt").toAbsolutePath() + ": names 3 classes where alexnet-2 has 2; it belongs to another run",
                "predict", dir.toString(), photo.toString());
        new ImageClasses(List.of("cats", "dogs"), new float[3 * 256 * 256], 256).write(dir);
        refused("nndl predict: " + mnist.resolve("t10k-images-idx3-ubyte") + ": is an idx file of MNIST digits, and this model reads colour images",
                "predict", dir.toString(), mnist.resolve("t10k-images-idx3-ubyte").toString());
    }

    /**
     * A full-size AlexNet of two classes whose weights are all 0 but fc8's biases, which make
     * "dogs" 98 %: predict prints the names from classes.txt. (Its 228 MB of weights need a
     * heap larger than the fuzz execution's.)
     */
    @Test
    void aModelOfColourImagesAnswersWithClassNames() throws Exception {
        assumeTrue(Runtime.getRuntime().maxMemory() > 2L << 30, "a full AlexNet needs a heap of 2 GB");
        AlexNet model = new AlexNet(2);
        List<float[]> weights = new ArrayList<>();
        for (SafeTensors.Tensor t : SafeTensors.layout(model)) weights.add(new float[Math.toIntExact(t.size())]);
        weights.getLast()[1] = 4;
        new Checkpoint(new Plan(model, 1, 1, 0.01f, 0.0005f, 1), "cpu", 0, List.of(), weights, List.of()).write(dir.resolve("best.nndl"));
        new ImageClasses(List.of("cats", "dogs"), new float[3 * 256 * 256], 256).write(dir);
        weights = null;
        Path photo = dir.resolve("photo.png");
        Files.copy(DIGIT, photo);
        CliRun r = CliRun.of("predict", dir.toString(), photo.toString(), "--backend", "cpu");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(photo + ": dogs (dogs 98.2 %, cats 1.8 %)\n", r.out());
    }

    /** Named classes in JSON: each class's number and name; labels too, given them. */
    @Test
    void jsonNamesTheClassesOfAModelOfColourImages() throws Exception {
        java.io.StringWriter text = new java.io.StringWriter();
        Predictions predictions = new Predictions(new int[] {1, 0}, new float[] {0.25f, 0.75f, 0.5f, 0.5f}, new int[2]);
        PredictCommand.json(new java.io.PrintWriter(text, true), List.of("a.jpg", "b.jpg"), predictions, new int[] {1, 1}, List.of("cats", "dogs"));
        assertEquals("""
                [
                {"image": "a.jpg", "class": 1, "name": "dogs", "label": 1, "top": [{"class": 1, "name": "dogs", "probability": 0.75}, \
                {"class": 0, "name": "cats", "probability": 0.25}]},
                {"image": "b.jpg", "class": 0, "name": "cats", "label": 1, "top": [{"class": 0, "name": "cats", "probability": 0.5}, \
                {"class": 1, "name": "dogs", "probability": 0.5}]}
                ]
                """, text.toString());
        List<?> parsed = (List<?>) Json.parse(text.toString());
        assertEquals("dogs", ((Map<?, ?>) parsed.getFirst()).get("name"));
        text = new java.io.StringWriter();
        PredictCommand.lines(new java.io.PrintWriter(text, true), List.of("a.jpg", "b.jpg"), predictions, new int[] {1, 1}, List.of("cats", "dogs"));
        assertEquals("a.jpg: dogs (dogs 75.0 %, cats 25.0 %), label dogs\nb.jpg: cats (cats 50.0 %, dogs 50.0 %), label dogs\naccuracy: 50.00 % (1 of 2 images)\n",
                text.toString());
    }

    @Test
    void aSequenceModelReadsNoImagesAndIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> PredictCommand.prepare(Path.of("runs/lstm/best.nndl"), Model.of("lstm"), List.of(DIGIT)));
        assertEquals("runs/lstm/best.nndl holds lstm, which reads sequences of 8 one-hot symbols, 20 steps long, not images; predict classifies images, "
                + "with MNIST's models (v0..v6, lenet5) or a model of colour images (alexnet, googlenet)", e.getMessage());
    }
}
