package dev.nndl.distributed;

import dev.nndl.cli.Cluster;
import dev.nndl.cli.Job;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs jobs as Spark tasks: one partition per job, so each job is one task, which a lost executor
 * or a command that ends in an error sends to another attempt (up to {@value #ATTEMPTS} in all),
 * and that attempt resumes from the job's last checkpoint ({@link Job#run(boolean)}).
 *
 * <p>A task's cores are {@code spark.task.cpus}: the threads its training runs on. In local mode,
 * whose tasks share this JVM, Spark retries nothing unless the master says so, so
 * {@code local[N]} becomes {@code local[N,4]}.
 *
 * <p>An attempt whose command ends in exit code 1 (an exception the command line does not
 * report as bad input) or throws an {@link Error} fails, so that Spark attempts it again, unless it
 * was the last attempt, which returns the exit code as the others' are returned: a run that
 * fails for good leaves the other runs to finish. An Error fails the attempt as an exception
 * does, rather than ending the executor's JVM, which in local mode is nndl's own. Exit code 2,
 * bad input, would come again the same: it is returned from the first attempt.
 *
 * <p>Jobs whose {@code --out} is a Hadoop file system URI run through {@link MirroredRun}, with
 * this driver's Hadoop configuration ({@link HadoopFiles#configuration}); the others run as they
 * would in one JVM, and never touch Hadoop.
 */
public final class SparkCluster implements Cluster {

    /** Attempts per task, the first included: Spark's own default for a cluster. */
    static final int ATTEMPTS = 4;

    /** The exit code of a command that ended in an error, which another attempt may not meet (picocli's). */
    static final int FAILED = 1;

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|[1-9][0-9]*)])?");
    private static final Pattern LOCAL_WITH_RETRIES = Pattern.compile("local\\[(?:\\*|[1-9][0-9]*),\\s*([1-9][0-9]*)]");

    @Override
    public List<Integer> run(String master, List<Job> jobs, int threadsPerTask, PrintWriter out) {
        SparkConf conf = new SparkConf().setMaster(withRetries(master)).setAppName("nndl: " + jobs.size() + " runs")
                .set("spark.ui.enabled", "false")
                .set("spark.task.cpus", Integer.toString(threadsPerTask))
                .set("spark.task.maxFailures", Integer.toString(ATTEMPTS));
        if (master.strip().startsWith("local")) {
            // Spark in this JVM talks only to itself: no need to look for a network address
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        } else {
            // executors find nndl where the driver found it: the same build at the same path on every worker
            conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    .set("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED");
        }
        int attempts = attempts(master);
        HadoopFiles.Shipped hadoop = jobs.stream().anyMatch(Job::remote) ? HadoopFiles.Shipped.of(HadoopFiles.configuration(conf)) : null;
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.setLogLevel("WARN");
            return spark.parallelize(jobs, jobs.size()).map(job -> attempt(job, TaskContext.get().attemptNumber(), attempts, hadoop)).collect();
        }
    }

    /**
     * One attempt ({@code attempt}, from 0, of {@code attempts}) at a job, resuming if an earlier
     * attempt got anywhere: its exit code, or an exception that has Spark attempt it again.
     */
    static int attempt(Job job, int attempt, int attempts, HadoopFiles.Shipped hadoop) throws Exception {
        boolean last = attempt + 1 >= attempts;
        int code;
        try {
            if (!job.remote()) {
                code = job.run(attempt > 0);
            } else {
                try (MirroredRun run = new MirroredRun(job, hadoop.configuration())) {
                    code = run.run(attempt > 0);
                }
            }
        } catch (Error e) {
            if (last) return FAILED;
            // not the Error itself (its stack is in the log): Spark would end the executor's JVM for it
            throw new AttemptFailedException(job.name() + " threw " + e + " on attempt " + (attempt + 1) + " of " + attempts
                    + "; another attempt resumes from its last checkpoint; its output: " + job.log());
        }
        if (code == FAILED && !last) {
            throw new AttemptFailedException(job.name() + " ended in an error (exit " + code + ") on attempt " + (attempt + 1) + " of " + attempts
                    + "; another attempt resumes from its last checkpoint; its output: " + job.log());
        }
        return code;
    }

    /** An attempt that failed, and that Spark should make again. */
    static final class AttemptFailedException extends RuntimeException {
        AttemptFailedException(String message) {
            super(message);
        }
    }

    /** {@code local} and {@code local[N]} with {@value #ATTEMPTS} attempts per task; any other master as it is. */
    static String withRetries(String master) {
        Matcher m = LOCAL.matcher(master.strip());
        if (!m.matches()) return master;
        return "local[" + (m.group(1) == null ? "1" : m.group(1)) + "," + ATTEMPTS + "]";
    }

    /** How many attempts a task gets on {@code master}: those {@code local[N,F]} names, else {@value #ATTEMPTS}. */
    static int attempts(String master) {
        Matcher m = LOCAL_WITH_RETRIES.matcher(master.strip());
        return m.matches() ? Integer.parseInt(m.group(1)) : ATTEMPTS;
    }

    @Override
    public List<String> list(String uri) throws IOException {
        return HadoopFiles.list(new Path(uri), driverConfiguration());
    }

    @Override
    public boolean fetch(String uri, java.nio.file.Path local) throws IOException {
        return HadoopFiles.fetch(new Path(uri), local, driverConfiguration());
    }

    @Override
    public void put(java.nio.file.Path local, String uri) throws IOException {
        HadoopFiles.put(local, new Path(uri), driverConfiguration());
    }

    /** The driver's Hadoop configuration, with the {@code spark.hadoop.*} system properties a SparkConf reads. */
    private static org.apache.hadoop.conf.Configuration driverConfiguration() {
        return HadoopFiles.configuration(new SparkConf());
    }
}
