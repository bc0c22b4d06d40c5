package dev.nndl.network.train;

import dev.nndl.network.Network;
import dev.nndl.spi.KernelSet;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The files a run leaves for people: a CSV row per epoch, a results CSV per run or ladder, the
 * learning curve and the first layer's filters as PNG. Every row carries its context (model,
 * backend, device, threads), so rows from different runs can be concatenated and still read.
 */
public final class RunFiles {

    public static final String EPOCHS_CSV = "epochs.csv";
    public static final String RESULTS_CSV = "results.csv";
    public static final String CURVE = "learning-curve.png";
    public static final String FILTERS = "filters.png";

    /** The per-epoch CSV's columns. */
    enum EpochColumn {
        model, epoch, train_cost, validation_accuracy, test_accuracy, images_per_second, train_seconds, eval_seconds,
        batch, eta, momentum, lambda, seed, backend, device, threads
    }

    /** The results CSV's columns: accuracies in percent, {@code difference} in percentage points. */
    enum ResultColumn {
        model, epochs, best_epoch, validation_accuracy, test_accuracy, published_accuracy, published_by, difference, images_per_second,
        batch, seed, backend, device, threads
    }

    /** A results row: a model's run, or the ensemble's vote ({@code bestEpoch} 0), next to the accuracy its authors published. */
    public record ResultRow(String model, int epochs, int bestEpoch, double validationAccuracy, double testAccuracy,
                            double publishedAccuracy, String publishedBy, double imagesPerSecond, int batch, long seed) {

        public static ResultRow of(Trainer.Result result) {
            Epoch best = result.best();
            Plan plan = result.plan();
            return new ResultRow(plan.model().id(), result.history().size(), best.epoch(), best.validationAccuracy(), best.testAccuracy(),
                    plan.model().publishedAccuracy(), plan.model().publishedBy(), result.imagesPerSecond(), plan.batch(), plan.seed());
        }
    }

    private RunFiles() {}

    /** Rewrites the run's per-epoch CSV, learning curve and filter picture from {@code history}. */
    static void write(Path dir, Plan plan, KernelSet kernels, Network network, List<Epoch> history) throws IOException {
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setHeader(EpochColumn.class).get())) {
            for (Epoch e : history) {
                csv.printRecord(plan.model().id(), e.epoch(), format(e.trainCost()), format(e.validationAccuracy()), format(e.testAccuracy()),
                        format(e.imagesPerSecond()), format(e.trainSeconds()), format(e.evalSeconds()),
                        plan.batch(), plan.schedule().eta(plan.eta(), history.subList(0, e.epoch() - 1)), plan.momentum(), plan.lambda(), plan.seed(),
                        kernels.name(), kernels.device(), kernels.threads());
            }
        }
        writeAtomically(dir.resolve(EPOCHS_CSV), text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        writeAtomically(dir.resolve(CURVE), Plots.learningCurve(plan, history));
        writeAtomically(dir.resolve(FILTERS), Plots.firstLayer(network, plan.model().id()));
    }

    /** Writes the results CSV of a run or a ladder, one row per model (and the ensemble). */
    public static void writeResults(Path file, List<ResultRow> rows, KernelSet kernels) throws IOException {
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setHeader(ResultColumn.class).get())) {
            for (ResultRow r : rows) {
                csv.printRecord(r.model(), r.epochs(), r.bestEpoch() == 0 ? "" : r.bestEpoch(), format(r.validationAccuracy()), format(r.testAccuracy()),
                        format(r.publishedAccuracy()), r.publishedBy(), format(r.testAccuracy() - r.publishedAccuracy()), format(r.imagesPerSecond()),
                        r.batch(), r.seed(), kernels.name(), kernels.device(), kernels.threads());
            }
        }
        writeAtomically(file, text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The rows of a results CSV that {@link #writeResults} wrote; a blank validation accuracy or speed reads as NaN. */
    public static List<ResultRow> readResults(Path file) throws IOException {
        List<ResultRow> rows = new java.util.ArrayList<>();
        try (var parser = CSVFormat.DEFAULT.builder().setHeader(ResultColumn.class).setSkipHeaderRecord(true).get()
                .parse(java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8))) {
            for (var r : parser) {
                try {
                    String best = r.get(ResultColumn.best_epoch);
                    rows.add(new ResultRow(r.get(ResultColumn.model), Integer.parseInt(r.get(ResultColumn.epochs)), best.isEmpty() ? 0 : Integer.parseInt(best),
                            orNaN(r.get(ResultColumn.validation_accuracy)), Double.parseDouble(r.get(ResultColumn.test_accuracy)),
                            Double.parseDouble(r.get(ResultColumn.published_accuracy)), r.get(ResultColumn.published_by),
                            orNaN(r.get(ResultColumn.images_per_second)), Integer.parseInt(r.get(ResultColumn.batch)),
                            Long.parseLong(r.get(ResultColumn.seed))));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new dev.nndl.spi.BadFileException(file, "row " + r.getRecordNumber() + " is not a results row (" + e.getMessage() + ")");
                }
            }
        }
        return rows;
    }

    /** A number, or NaN for a blank: what a run did not record (a rung trained before validation accuracy was kept). */
    private static double orNaN(String field) {
        return field.isBlank() ? Double.NaN : Double.parseDouble(field);
    }

    /** Draws one model's accuracies from several seeds, and their mean. */
    public static void writeSeedsChart(Path file, List<ResultRow> rows) throws IOException {
        writeAtomically(file, Plots.seeds(rows));
    }

    /** Draws each rung's test accuracy next to Nielsen's. */
    public static void writeLadderChart(Path file, List<ResultRow> rows) throws IOException {
        writeAtomically(file, Plots.ladder(rows));
    }

    /**
     * Writes {@code bytes} to a temporary file beside {@code file}, forces it to disk, and renames
     * it over {@code file}: a reader sees the old file or the new one, never half of one. The
     * temporary name is unique, so two writers never share it.
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        replace(file, channel -> {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer);
        });
    }

    /** What writes a file's contents to a stream, for {@link #writeAtomically(Path, Contents)}. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The buffer between a {@link Contents} and the file: large writes pass it by, small ones are gathered into writes this size. */
    static final int STREAM_BUFFER = 1 << 20;

    /**
     * As {@link #writeAtomically(Path, byte[])}, for contents written to a stream as they are made,
     * through a buffer of {@value #STREAM_BUFFER} bytes: a file far larger than the heap, or than
     * an array, costs no more memory than the buffer. If {@code contents} throws, {@code file} is
     * left as it was.
     */
    public static void writeAtomically(Path file, Contents contents) throws IOException {
        replace(file, channel -> {
            // not closed here: closing the stream would close the channel before it is forced
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), STREAM_BUFFER);
            contents.writeTo(out);
            out.flush();
        });
    }

    private interface ChannelWriter {
        void write(FileChannel channel) throws IOException;
    }

    /** Has {@code writer} fill a new temporary file beside {@code file}, forces it to disk and renames it over {@code file}. */
    private static void replace(Path file, ChannelWriter writer) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // not Files.createTempFile: its files are private to their owner, and the rename would keep that
        Path temp = dir.resolve(file.getFileName() + "." + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.write(channel);
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
