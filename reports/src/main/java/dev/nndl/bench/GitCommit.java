package dev.nndl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The commit a benchmark ran on, so a row can be traced to the code that produced it. */
final class GitCommit {

    private GitCommit() {}

    /** {@code git rev-parse --short HEAD} (with {@code -dirty} when the tree has changes), or {@code unknown}. */
    static String current() {
        try {
            String head = run("git", "rev-parse", "--short", "HEAD");
            String status = run("git", "status", "--porcelain", "--untracked-files=no");
            return head.isEmpty() ? "unknown" : head + (status.isEmpty() ? "" : "-dirty");
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? output : "";
    }
}
