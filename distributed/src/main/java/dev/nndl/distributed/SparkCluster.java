package dev.nndl.distributed;

import dev.nndl.cli.Cluster;
import dev.nndl.cli.Job;
import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs jobs as Spark tasks: one partition per job, so each job is one task, which a failure or a
 * lost executor sends to another attempt (up to {@value #ATTEMPTS} in all), and that attempt
 * resumes from the job's last checkpoint ({@link Job#run(boolean)}).
 *
 * <p>A task's cores are {@code spark.task.cpus}: the threads its training runs on. In local mode,
 * whose tasks share this JVM, Spark retries nothing unless the master says so, so
 * {@code local[N]} becomes {@code local[N,4]}.
 */
public final class SparkCluster implements Cluster {

    /** Attempts per task, the first included: Spark's own default for a cluster. */
    static final int ATTEMPTS = 4;

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|[1-9][0-9]*)])?");

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
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.setLogLevel("WARN");
            return spark.parallelize(jobs, jobs.size()).map(SparkCluster::attempt).collect();
        }
    }

    /** One task: the job, resuming if an earlier attempt of this task got anywhere. */
    private static int attempt(Job job) throws Exception {
        return job.run(TaskContext.get().attemptNumber() > 0);
    }

    /** {@code local} and {@code local[N]} with {@value #ATTEMPTS} attempts per task; any other master as it is. */
    static String withRetries(String master) {
        Matcher m = LOCAL.matcher(master.strip());
        if (!m.matches()) return master;
        return "local[" + (m.group(1) == null ? "1" : m.group(1)) + "," + ATTEMPTS + "]";
    }
}
