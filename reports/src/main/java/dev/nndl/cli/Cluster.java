package dev.nndl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Runs {@link Job}s as the tasks of a cluster: the {@code distributed} module's Spark
 * implementation, found through {@link ServiceLoader}. Its jars (and Spark's, and the Hadoop file
 * systems' that come with them) are on the class path only when {@code ./nndl} was given
 * {@code --spark}; no other command loads them.
 */
public interface Cluster {

    /** What {@code --spark} without a value means: Spark embedded in this JVM, a task per core. */
    String LOCAL = "local[*]";

    /**
     * Runs every job as one task on {@code master} ({@code local[N]}, {@code local[*]} or
     * {@code spark://host:port}), each task given {@code threadsPerTask} cores. A task whose
     * executor is lost, or whose command ends in an error (exit code 1, or an exception or
     * {@link Error} thrown), is attempted again ({@link Job#run(boolean)} with {@code retry}, which
     * resumes from the last checkpoint), up to the cluster's limit; a command refused as bad input
     * (exit code 2: a bad option, a missing file) would be refused again, and is not. A job whose
     * {@code --out} is a URI ({@link Job#remote()}) runs in a directory of the task's own, copied to
     * the URI after each checkpoint and at the end, and copied back from it before another
     * attempt. Returns the exit codes in the jobs' order: of each job's last attempt.
     */
    List<Integer> run(String master, List<Job> jobs, int threadsPerTask, PrintWriter out) throws Exception;

    /** The names in the directory at {@code uri} (a Hadoop file system's: {@code hdfs://}, {@code s3a://}, {@code file://}); none where there is no such directory. */
    List<String> list(String uri) throws IOException;

    /** Copies the file at {@code uri} to {@code local}, making its directory; false, copying nothing, where there is no such file. */
    boolean fetch(String uri, Path local) throws IOException;

    /** Copies {@code local} to the file at {@code uri}, replacing it whole. */
    void put(Path local, String uri) throws IOException;

    /** The cluster on the class path; throws, saying how to get one, where there is none. */
    static Cluster find() {
        return ServiceLoader.load(Cluster.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "--spark needs nndl's distributed module and Spark on the class path: ./nndl puts them there for a command given --spark, "
                        + "once the build has made distributed/target/nndl.classpath (mvn -B package)"));
    }
}
