package dev.nndl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One nndl command of several that need nothing from each other (a training run per seed), as a
 * {@link Cluster} ships it to a task: its arguments, and the file its output goes to.
 *
 * <p>Its {@code --out} and {@link #log} are local paths, or both Hadoop file system URIs
 * ({@link #remote()}): a task then runs the command in a directory of its own and copies the files
 * to the URIs ({@link Cluster}).
 *
 * @param name what it is, for messages: "seed 3"
 * @param args the command line, {@code train --model v6 --seed 3 --out runs/v6/seed-3 ...}
 * @param log the file a task writes the command's output to
 */
public record Job(String name, List<String> args, String log) implements Serializable {

    /** What a command line's {@code --out} value begins with when it is a URI: a scheme and {@code ://}. */
    private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

    private static final String OUT = "--out=";

    public Job {
        args = List.copyOf(args);
    }

    /** Whether {@code path} is a URI ({@code hdfs://nn/runs}, {@code s3a://bucket/runs}, {@code file:///tmp/runs}) rather than a local path. */
    public static boolean isUri(String path) {
        return URI.matcher(path).matches();
    }

    /** The command's {@code --out=} value: where it writes its files; null if it has none. */
    public String out() {
        String out = null;
        for (String a : args) if (a.startsWith(OUT)) out = a.substring(OUT.length());
        return out;
    }

    /** Whether the command writes to a URI ({@link #out()}), which a task copies its files to rather than writing there itself. */
    public boolean remote() {
        return out() != null && isUri(out());
    }

    /** This job with its {@code --out} and its log at {@code out} and {@code log} instead: what a task runs in a directory of its own. */
    public Job writingTo(String out, String log) {
        return new Job(name, args.stream().map(a -> a.startsWith(OUT) ? OUT + out : a).toList(), log);
    }

    /**
     * Runs the command in this JVM, its output appended to {@link #log}, a local file. A
     * {@code retry} continues what an earlier attempt started: {@code --force} becomes
     * {@code --resume}, and a command without either gets {@code --resume} where it has the option,
     * so a task that failed or lost its executor picks up from its last checkpoint. An
     * {@link Error} (the heap exhausted) is written to the log before it is thrown on.
     */
    public int run(boolean retry) throws IOException {
        Path file = Path.of(log);
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true)) {
            if (retry) out.println("nndl: another attempt at " + name + ", resuming");
            try {
                return run(retry ? resuming(args) : args, out, out);
            } catch (Error e) {
                e.printStackTrace(out);
                throw e;
            }
        }
    }

    /** Runs the command in this JVM with {@code out} and {@code err} as its console. */
    public int run(PrintWriter out, PrintWriter err) {
        return run(args, out, err);
    }

    private static int run(List<String> args, PrintWriter out, PrintWriter err) {
        var cli = Nndl.commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args.toArray(String[]::new));
    }

    /**
     * The options of {@code parsed} as {@code --name=value} arguments, as the user gave them, but
     * for those named in {@code except}: what a command passes on to the commands it runs as jobs.
     */
    static List<String> passedOn(picocli.CommandLine.ParseResult parsed, java.util.Collection<String> except) {
        List<String> args = new ArrayList<>();
        for (picocli.CommandLine.Model.OptionSpec option : parsed.matchedOptions()) {
            if (except.contains(option.longestName())) continue;
            if (option.arity().max() == 0 || option.originalStringValues().isEmpty()) {
                args.add(option.longestName()); // a flag, or an option given without its optional value
                continue;
            }
            for (String value : option.originalStringValues()) args.add(option.longestName() + "=" + value);
        }
        return args;
    }

    /** The line a command prints as it hands {@code jobs} runs to the cluster at {@code master}, {@code threads} cores each (null: one). */
    static void announce(PrintWriter out, int jobs, String master, Integer threads, String logs) {
        out.printf("%d runs as Spark tasks on %s, %s; each writes its output to %s%n", jobs, master,
                threads == null || threads == 1 ? "one core each" : threads + " cores (threads) each", logs);
        out.flush();
    }

    /** {@code args} as another attempt runs them: without {@code --force}, and with {@code --resume} where the command has it (train does, bench does not). */
    static List<String> resuming(List<String> args) {
        List<String> resumed = new ArrayList<>(args.stream().filter(a -> !a.equals("--force")).toList());
        var command = Nndl.commandLine().getSubcommands().get(args.getFirst());
        boolean resumes = command != null && command.getCommandSpec().findOption("--resume") != null;
        if (resumes && !resumed.contains("--resume")) resumed.add("--resume");
        return resumed;
    }
}
