package dev.nndl.cli;

import dev.nndl.network.train.RunFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ParseResult;

/**
 * {@code nndl train --seeds}: the same training run from several seeds, each an {@code nndl train}
 * of its own into {@code OUT/seed-S}, one after another in this JVM or as tasks of a Spark
 * cluster ({@code --spark}); then {@code OUT/results.csv} with every seed's row and
 * {@code OUT/results.png}. On Spark, OUT may be a Hadoop file system URI ({@link OutDir}).
 */
final class SeedRuns {

    /** Each seed is a whole training run: more than this is a typo. */
    static final int MAX_SEEDS = 1000;

    /** The options a seed's own command line does not repeat: it gets its own seed and directory. */
    private static final List<String> NOT_PASSED_ON = List.of("--seeds", "--spark", "--seed", "--out", "--data");

    private SeedRuns() {}

    /** {@code 1..5} or {@code 1,2,7}: the seeds, in order, each once. */
    static List<Long> parse(String spec) {
        String fix = "give a range FIRST..LAST, e.g. 1..5, or a list, e.g. 1,2,7, of at most " + MAX_SEEDS + " seeds";
        List<Long> seeds = new ArrayList<>();
        try {
            int dots = spec.indexOf("..");
            if (dots >= 0) {
                long first = Long.parseLong(spec.substring(0, dots).strip()), last = Long.parseLong(spec.substring(dots + 2).strip());
                TrainingOptions.require(first <= last && last - first < MAX_SEEDS, "--seeds", spec, fix);
                for (long s = first; s <= last; s++) seeds.add(s);
            } else {
                for (String s : spec.split(",", -1)) seeds.add(Long.parseLong(s.strip()));
            }
        } catch (NumberFormatException e) {
            TrainingOptions.require(false, "--seeds", spec, fix);
        }
        TrainingOptions.require(seeds.size() <= MAX_SEEDS && seeds.stream().distinct().count() == seeds.size(), "--seeds", spec,
                fix + ", each once");
        return seeds;
    }

    /** Where seed {@code seed}'s run goes inside {@code dir}. */
    static Path dir(Path dir, long seed) {
        return dir.resolve("seed-" + seed);
    }

    /** One {@code nndl train} per seed: this command line's options, but its own {@code --seed} and {@code --out}. */
    static List<Job> jobs(ParseResult parsed, List<Long> seeds, OutDir out, Path data) {
        List<String> common = new ArrayList<>(List.of("train"));
        common.addAll(Job.passedOn(parsed, NOT_PASSED_ON));
        if (data != null) common.add("--data=" + data.toAbsolutePath());
        List<Job> jobs = new ArrayList<>();
        for (long seed : seeds) {
            List<String> args = new ArrayList<>(common);
            args.add("--seed=" + seed);
            args.add("--out=" + out.at(dir(out.dir(), seed)));
            jobs.add(new Job("seed " + seed, args, out.at(out.dir().resolve("logs").resolve("seed-" + seed + ".log"))));
        }
        return jobs;
    }

    /**
     * Runs the jobs, one after another here ({@code master} null) or on {@code cluster}, then merges
     * their results; returns 0 when every seed finished, else 1, naming the logs of those that did not.
     */
    static int run(List<Job> jobs, List<Long> seeds, OutDir runs, Cluster cluster, String master, Integer threads, PrintWriter out) throws Exception {
        Path dir = runs.dir();
        List<Integer> codes = new ArrayList<>();
        long start = System.nanoTime();
        if (master == null) {
            for (Job job : jobs) {
                out.printf("%n%s of %d: nndl %s%n", job.name(), jobs.size(), String.join(" ", job.args()));
                out.flush();
                codes.add(job.run(out, out));
            }
        } else {
            Job.announce(out, jobs.size(), master, threads, runs.name(dir.resolve("logs")));
            codes = cluster.run(master, jobs, threads == null ? 1 : threads, out);
        }
        List<RunFiles.ResultRow> rows = new ArrayList<>();
        StringBuilder csv = new StringBuilder();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            Path results = dir(dir, seeds.get(i)).resolve(RunFiles.RESULTS_CSV);
            if (codes.get(i) != 0 || !Files.isRegularFile(runs.fetch(results))) {
                failed.add(jobs.get(i).name() + " (exit " + codes.get(i) + (master == null ? "" : ", " + jobs.get(i).log()) + ")");
                continue;
            }
            rows.addAll(RunFiles.readResults(results));
            List<String> lines = Files.readAllLines(results);
            if (csv.isEmpty()) csv.append(lines.getFirst()).append('\n');
            for (String line : lines.subList(1, lines.size())) csv.append(line).append('\n');
        }
        if (!rows.isEmpty()) {
            RunFiles.writeAtomically(dir.resolve(RunFiles.RESULTS_CSV), csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            RunFiles.writeSeedsChart(dir.resolve("results.png"), rows);
            runs.put(dir.resolve(RunFiles.RESULTS_CSV));
            runs.put(dir.resolve("results.png"));
            table(out, rows);
        }
        out.printf(Locale.ROOT, "%n%d of %d seeds finished in %s; files in %s%n", rows.size(), jobs.size(),
                ProgressBar.clock((System.nanoTime() - start) * 1e-9), runs);
        if (!failed.isEmpty()) out.println("did not finish: " + String.join(", ", failed));
        out.flush();
        return failed.isEmpty() ? 0 : 1;
    }

    private static void table(PrintWriter out, List<RunFiles.ResultRow> rows) {
        out.printf("%n%-10s %6s %6s %5s %11s %8s %9s%n", "model", "seed", "epochs", "best", "validation", "test", "img/s");
        for (RunFiles.ResultRow r : rows) {
            out.printf(Locale.ROOT, "%-10s %6d %6d %5d %10.2f%% %7.2f%% %,9.0f%n", r.model(), r.seed(), r.epochs(), r.bestEpoch(),
                    r.validationAccuracy(), r.testAccuracy(), r.imagesPerSecond());
        }
        double mean = rows.stream().mapToDouble(RunFiles.ResultRow::testAccuracy).average().orElseThrow();
        double sd = Math.sqrt(rows.stream().mapToDouble(r -> (r.testAccuracy() - mean) * (r.testAccuracy() - mean)).sum() / Math.max(1, rows.size() - 1));
        out.printf(Locale.ROOT, "test accuracy over %d seeds: mean %.2f %%, standard deviation %.2f points%n", rows.size(), mean, sd);
    }
}
