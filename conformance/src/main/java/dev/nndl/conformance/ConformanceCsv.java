package dev.nndl.conformance;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes conformance reports as CSV: one header row, one row per backend and operation. */
public final class ConformanceCsv {

    /** The columns, in order; their names are the header. */
    public enum Column { backend, device, op, direction, cases, passed, failed, max_abs_err, max_rel_err, tolerance, verdict, seconds, rerun }

    private ConformanceCsv() {}

    /**
     * Writes {@code reports}. A skipped backend gets one row with op {@code *} and the verdict
     * {@code skipped: REASON}, never a pass; so does an operation the backend declined. An
     * operation it hands to the reference is {@code delegated}. A failure's {@code rerun} holds the
     * {@code nndl conform} options that run its case alone.
     */
    public static void write(Writer out, List<Conformance.Report> reports) throws IOException {
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(Column.class).get())) {
            for (Conformance.Report report : reports) {
                if (report.skipped() != null) {
                    csv.printRecord(report.backend(), report.device(), "*", "*", 0, 0, 0, "", "", "", "skipped: " + report.skipped(), "", "");
                    continue;
                }
                for (Conformance.OpResult r : report.results()) {
                    csv.printRecord(report.backend(), report.device(), r.op(), r.direction(), r.cases(), r.passed(), r.failed(),
                            number(r.maxAbsError()), number(r.maxRelError()), r.tolerance(), r.label(),
                            String.format(Locale.ROOT, "%.3f", r.seconds()), r.rerun());
                }
            }
        }
    }

    private static String number(double value) {
        if (Double.isNaN(value)) return "";
        return String.format(Locale.ROOT, "%.3e", value);
    }
}
