package dev.nndl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The commit the running code was built from, so a benchmark row or a version line can be traced to it. */
public final class GitCommit {

    private GitCommit() {}

    /**
     * {@code git rev-parse --short HEAD} (with {@code -dirty} when the tree has changes) in the
     * repository that holds the running classes, wherever the command was started from; {@code unknown}
     * for code outside a repository (a jar from a Maven repository).
     */
    public static String current() {
        Path repository = repository();
        if (repository == null) return "unknown";
        try {
            String head = run(repository, "rev-parse", "--short", "HEAD");
            String status = run(repository, "status", "--porcelain", "--untracked-files=no");
            return head.isEmpty() ? "unknown" : head + (status.isEmpty() ? "" : "-dirty");
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    /** The nearest folder above this class's classes (or jar) that holds {@code .git}; null if none. */
    static Path repository() {
        try {
            Path code = Path.of(GitCommit.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (Path dir = code; dir != null; dir = dir.getParent()) {
                if (Files.exists(dir.resolve(".git"))) return dir;
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String run(Path repository, String... gitArguments) throws IOException, InterruptedException {
        String[] command = new String[gitArguments.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = repository.toString();
        System.arraycopy(gitArguments, 0, command, 3, gitArguments.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? output : "";
    }
}
