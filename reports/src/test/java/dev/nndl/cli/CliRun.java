package dev.nndl.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the command line as a user sees it: exit code, standard output, standard error. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        CommandLine cli = Nndl.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Whether an OpenCL driver is installed (as in CI, PoCL), so that the build's JVMs must be able to start aparapi. */
    static boolean openClDriverInstalled() {
        try (var icds = java.nio.file.Files.list(java.nio.file.Path.of("/etc/OpenCL/vendors"))) {
            return icds.anyMatch(p -> p.toString().endsWith(".icd"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * One run in a JVM of its own, with {@code jvmOptions}: for system properties read once per
     * JVM, when a class loads. Standard error is merged into {@code out}, less the JVM's line on incubator modules.
     */
    static CliRun forked(java.util.List<String> jvmOptions, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                ProcessHandle.current().info().command().orElseThrow(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), Nndl.class.getName()));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst("WARNING: Using incubator modules: jdk.incubator.vector\\R", "");
        return new CliRun(p.waitFor(), out, "");
    }
}
