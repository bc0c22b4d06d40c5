package dev.nndl.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nndl} command line: one entry point for the suite's jobs. Each job is a subcommand;
 * {@code nndl help COMMAND} explains one. Bad input (an unknown network, an impossible shape)
 * ends with one line saying what was wrong and exit code 2; the stack trace is for bugs only.
 */
@Command(name = "nndl", mixinStandardHelpOptions = true, versionProvider = Nndl.Version.class,
        description = {"Convolutional-network kernels with a test oracle, after chapter 6 of Nielsen's "
                + "Neural Networks and Deep Learning and Dumoulin and Visin's guide to convolution arithmetic.", ""},
        subcommands = {ShapesCommand.class, BackendsCommand.class, ConformCommand.class, BenchCommand.class, ProfileCommand.class, TrainCommand.class, LadderCommand.class, ExportCommand.class, EvaluateCommand.class, PredictCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Backends are chosen with -Dnndl.backend=auto|reference|cpu|aparapi|tornado (or NNDL_BACKEND).",
                "Plugins (backends in jars built elsewhere) join the class path in ./nndl:",
                "  ./nndl --plugins DIR COMMAND   every *.jar in DIR, given before the command",
                "  (without --plugins)            every *.jar in ~/.config/nndl/plugins",
                "                                 ($XDG_CONFIG_HOME/nndl/plugins), if it exists",
                "  NNDL_CLASSPATH=A.jar:DIR       jars or directories, as a Java class path",
                "JVM options go in NNDL_JAVA_OPTS.", "",
                "Examples:", "  nndl shapes alexnet", "  nndl shapes --input 1x28x28 conv:20:5 pool:2 fc:100 softmax:10", "  nndl backends", "  nndl --plugins ~/my-backends conform --backend my-kernels", "  nndl train --model v3 --epochs 5", "  nndl ladder --quick", "  nndl export runs/v3 v3.safetensors", "  nndl evaluate runs/v3", "  nndl predict runs/v3 digit.png", "  nndl conform --backend reference --csv out.csv", ""})
public final class Nndl implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Nndl());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String problem = e instanceof IllegalArgumentException || e instanceof IllegalStateException ? e.getMessage()
                    : e instanceof java.io.IOException io ? describe(io) : null;
            if (problem == null) throw e;
            PrintWriter err = commandLine.getErr();
            err.println("nndl " + commandLine.getCommandName() + ": " + problem);
            err.flush();
            return 2;
        });
        return cli;
    }

    /**
     * A file problem in one line: the exceptions for missing or unreadable files carry only the
     * path, so say what happened to it; the suite's own (bad MNIST files, corrupt checkpoints)
     * already say what is wrong and what to do.
     */
    static String describe(java.io.IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException x -> "no such file or directory: " + x.getFile();
            case java.nio.file.AccessDeniedException x -> "permission denied: " + x.getFile();
            case java.nio.file.FileSystemException x -> x.getFile() + ": " + x.getReason();
            default -> e.getMessage();
        };
    }

    /** The version from the jar's manifest ("development build" when run from classes), the commit, and the Java it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nndl " + version() + ", commit " + dev.nndl.bench.GitCommit.current() + ", on Java " + Runtime.version()};
        }
    }

    /** The version from the jar's manifest, or "(development build)" when run from classes. */
    static String version() {
        String v = Nndl.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
