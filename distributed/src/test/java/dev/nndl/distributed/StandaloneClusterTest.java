package dev.nndl.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.cli.Nndl;
import dev.nndl.network.data.IdxFiles;
import dev.nndl.network.train.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1, started from this class path: a master and two
 * workers of one core each run four trainings; one worker is killed (SIGKILL) once a task has
 * written its first checkpoint, and every training still finishes, with the weights the same
 * seeds reach one after another in this JVM.
 */
class StandaloneClusterTest {

    private final List<Process> started = new ArrayList<>();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void fourTrainingsOutliveAKilledWorkerWithTheWeightsOfSequentialRuns(@TempDir Path dir) throws Exception {
        Path mnist = Files.createDirectory(dir.resolve("mnist"));
        IdxFiles.writeMnist(mnist, 1500, 100);
        Path home = sparkHome(Path.of("target", "spark-home").toAbsolutePath()); // not in @TempDir, which warns of every link it deletes
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        start(dir.resolve("master.log"), home, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--webui-port", Integer.toString(freePort()));
        List<Process> workers = new ArrayList<>();
        for (int w = 1; w <= 2; w++) {
            workers.add(start(dir.resolve("worker-" + w + ".log"), home, "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1",
                    "--cores", "1", "--memory", "1g", "--work-dir", dir.resolve("work-" + w).toString(), "--webui-port", Integer.toString(freePort())));
        }
        List<String> common = List.of("train", "--model", "v1", "--epochs", "3", "--backend", "cpu", "--threads", "1", "--seeds", "1..4",
                "--data", mnist.toString());
        Path cluster = dir.resolve("cluster");

        Thread killer = Thread.ofVirtual().start(() -> {
            try {
                while (!anyCheckpoint(cluster)) Thread.sleep(100);
                workers.getFirst().destroyForcibly(); // the worker; its executor goes with it when it loses its worker
            } catch (InterruptedException | IOException e) {
                // the run ended first: the assertions below say so
            }
        });
        String[] run = cli(common, "--spark", master, "--out", cluster.toString());
        killer.interrupt();
        killer.join();
        System.out.println(run[1]);
        assertEquals("0", run[0], run[1]);
        assertTrue(!workers.getFirst().isAlive(), "the first worker was never killed: no task wrote a checkpoint?");
        assertTrue(run[1].contains("4 of 4 seeds finished"), run[1]);
        long retried = Stream.of(1, 2, 3, 4).filter(s -> log(cluster, s).contains("another attempt at seed " + s + ", resuming")).count();
        assertTrue(retried >= 1, "no task was attempted again after the worker died");

        String[] sequential = cli(common, "--out", dir.resolve("sequential").toString());
        assertEquals("0", sequential[0], sequential[1]);
        for (int seed = 1; seed <= 4; seed++) {
            List<float[]> a = Checkpoint.read(dir.resolve("sequential/seed-" + seed + "/best.nndl")).parameters();
            List<float[]> b = Checkpoint.read(cluster.resolve("seed-" + seed + "/best.nndl")).parameters();
            for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), "seed " + seed + ", parameter " + i);
        }
    }

    @AfterEach
    void stopEverythingStarted() throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : started) p.waitFor(30, TimeUnit.SECONDS);
    }

    /** A Spark home as a standalone worker needs one to start executors: RELEASE, and jars/ with this class path's jars. */
    private static Path sparkHome(Path home) throws IOException {
        Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "nndl's test: Spark's jars from the class path\n");
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            Path link = home.resolve("jars").resolve(jar.getFileName());
            if (entry.endsWith(".jar") && !Files.exists(link)) Files.createSymbolicLink(link, jar.toAbsolutePath());
        }
        return home;
    }

    private Process start(Path log, Path home, String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx512m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("JAVA_HOME", Path.of(command.getFirst()).getParent().getParent().toString());
        Process p = builder.start();
        started.add(p);
        return p;
    }

    private static boolean anyCheckpoint(Path cluster) throws IOException {
        for (int s = 1; s <= 4; s++) if (Files.exists(cluster.resolve("seed-" + s).resolve("checkpoint.nndl"))) return true;
        return false;
    }

    private static String log(Path cluster, int seed) {
        try {
            return Files.readString(cluster.resolve("logs/seed-" + seed + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String[] cli(List<String> common, String... more) {
        var cli = Nndl.commandLine();
        StringWriter text = new StringWriter();
        cli.setOut(new PrintWriter(text));
        cli.setErr(new PrintWriter(text));
        String[] args = Stream.concat(common.stream(), Stream.of(more)).toArray(String[]::new);
        return new String[] {Integer.toString(cli.execute(args)), text.toString()};
    }
}
