package dev.nndl.network.train;

import dev.nndl.network.data.Samples;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A network's answers on a labelled set, for people: the accuracy, the confusion matrix (rows the
 * label, columns the answer) and the images it got wrong most confidently, as CSV and PNG files.
 */
public record Evaluation(String model, String set, Predictions predictions, Samples images) {

    public static final String CONFUSION_CSV = "confusion.csv", CONFUSION_PNG = "confusion.png", WRONG_PNG = "wrong.png", PREDICTIONS_CSV = "predictions.csv";

    public int classes() {
        return predictions.probabilities().length / predictions.classes().length;
    }

    /** {@code [label][answer]}: how many images of each label got each answer. */
    public int[][] confusion() {
        int[][] counts = new int[classes()][classes()];
        for (int i = 0; i < predictions.classes().length; i++) counts[predictions.labels()[i]][predictions.classes()[i]]++;
        return counts;
    }

    /** The probability the network gave image {@code i}'s answer. */
    public float confidence(int i) {
        return predictions.probabilities()[i * classes() + predictions.classes()[i]];
    }

    /** Up to {@code n} wrongly answered images, the most confident answer first (the lower index of equals). */
    public List<Integer> mostConfidentlyWrong(int n) {
        int[] answers = predictions.classes(), labels = predictions.labels();
        return IntStream.range(0, answers.length).filter(i -> answers[i] != labels[i]).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -confidence(i)).thenComparingInt(i -> i)).limit(n).toList();
    }

    /** Writes {@value #CONFUSION_CSV}, {@value #CONFUSION_PNG}, {@value #PREDICTIONS_CSV} and {@value #WRONG_PNG} ({@code wrong} images at most) into {@code dir}. */
    public void write(Path dir, int wrong) throws IOException {
        writeTables(dir);
        RunFiles.writeAtomically(dir.resolve(WRONG_PNG), Plots.wrong(this, mostConfidentlyWrong(wrong)));
    }

    /** Writes {@value #CONFUSION_CSV}, {@value #CONFUSION_PNG} and {@value #PREDICTIONS_CSV} into {@code dir}: all but the pictures, for samples that are not images. */
    public void writeTables(Path dir) throws IOException {
        StringWriter text = new StringWriter();
        int k = classes();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT)) {
            csv.print("label \\ answer");
            for (int j = 0; j < k; j++) csv.print(j);
            csv.println();
            int[][] counts = confusion();
            for (int i = 0; i < k; i++) {
                csv.print(i);
                for (int j = 0; j < k; j++) csv.print(counts[i][j]);
                csv.println();
            }
        }
        RunFiles.writeAtomically(dir.resolve(CONFUSION_CSV), text.toString().getBytes(StandardCharsets.UTF_8));
        text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setHeader(images.noun(), "label", "answer", "probability", "runner_up",
                "runner_up_probability").get())) {
            float[] p = predictions.probabilities();
            for (int i = 0; i < predictions.classes().length; i++) {
                int answer = predictions.classes()[i], second = -1;
                for (int j = 0; j < k; j++) if (j != answer && (second < 0 || p[i * k + j] > p[i * k + second])) second = j;
                csv.printRecord(i, predictions.labels()[i], answer, String.format(Locale.ROOT, "%.7g", p[i * k + answer]), second,
                        String.format(Locale.ROOT, "%.7g", p[i * k + second]));
            }
        }
        RunFiles.writeAtomically(dir.resolve(PREDICTIONS_CSV), text.toString().getBytes(StandardCharsets.UTF_8));
        RunFiles.writeAtomically(dir.resolve(CONFUSION_PNG), Plots.confusion(this));
    }
}
