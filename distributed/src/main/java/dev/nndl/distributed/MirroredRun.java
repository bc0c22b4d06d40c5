package dev.nndl.distributed;

import dev.nndl.cli.Job;
import dev.nndl.network.train.RunDirectory;
import dev.nndl.network.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * A job whose {@code --out} and log are Hadoop file system URIs ({@link Job#remote()}), as a task
 * runs it: in a scratch directory of the executor's ({@code java.io.tmpdir}), first filled with
 * what the URI's run directory already holds (an earlier attempt's checkpoint, or the run a
 * {@code --resume} continues), then copied to the URI whenever a new checkpoint appears and once
 * more when the command ends, however it ends. Each copy sends the checkpoint last, as it was when
 * the copy began, so the URI never holds a checkpoint newer than its best weights.
 */
final class MirroredRun implements AutoCloseable {

    /** How often the scratch directory is looked at for a new checkpoint. */
    static final long POLL_MILLIS = 500;

    private final Job job;
    private final Configuration conf;
    private final Path scratch, dir, log;
    /** What each file was when it was last copied (or fetched), by its name in the run directory. */
    private final Map<String, Object> copied = new ConcurrentHashMap<>();

    MirroredRun(Job job, Configuration conf) throws IOException {
        this.job = job;
        this.conf = conf;
        this.scratch = Files.createTempDirectory("nndl-task-");
        this.dir = scratch.resolve("out");
        this.log = scratch.resolve("task.log");
    }

    /** Runs the job as {@link Job#run(boolean)} does, in the scratch directory, and copies its files to the job's URIs. */
    int run(boolean retry) throws IOException {
        Files.createDirectories(dir);
        // a first attempt told to --force starts over: the URI's old files are only overwritten
        if (retry || !job.args().contains("--force")) HadoopFiles.fetchAll(uri(job.out()), dir, conf);
        HadoopFiles.fetch(uri(job.log()), log, conf);
        for (Path file : files()) copied.put(name(file), key(file)); // what came down need not go up again
        CountDownLatch ended = new CountDownLatch(1);
        Thread poller = Thread.ofPlatform().daemon().name("nndl-copy-" + job.name()).start(() -> poll(ended));
        int code;
        try {
            code = job.writingTo(dir.toString(), log.toString()).run(retry);
            Files.writeString(log, "nndl: " + job.name() + "'s files are copied to " + job.out() + "\n", StandardOpenOption.APPEND);
        } finally {
            ended.countDown(); // not an interrupt, which would break a copy under way and leave its temporary file behind
            try {
                poller.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            copy();
        }
        return code;
    }

    /** Copies the files each time the checkpoint changes, until the run has {@code ended}; a copy that fails is tried again at the next change, or at the end. */
    private void poll(CountDownLatch ended) {
        Path checkpoint = dir.resolve(Trainer.CHECKPOINT);
        try {
            while (!ended.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                try {
                    Object now = key(checkpoint);
                    if (now != null && !now.equals(copied.get(Trainer.CHECKPOINT))) copy();
                } catch (IOException | java.io.UncheckedIOException e) {
                    // the next checkpoint's copy tries again, and the copy at the end reports what still fails
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies the files that changed since the last copy, the checkpoint last, and the log. */
    private synchronized void copy() throws IOException {
        Path checkpoint = dir.resolve(Trainer.CHECKPOINT);
        try (Opened held = Opened.of(checkpoint)) { // the checkpoint as it is now: any best weights read after it are as new
            for (Path file : files()) {
                if (!file.equals(checkpoint)) send(file, null);
            }
            if (held != null) send(checkpoint, held);
        }
        HadoopFiles.put(log, uri(job.log()), conf);
    }

    /** Sends {@code file} unless it went as it is already; {@code opened}: the version to send, else the file as it is. */
    private void send(Path file, Opened opened) throws IOException {
        try (Opened version = opened != null ? null : Opened.of(file)) {
            Opened sent = opened != null ? opened : version;
            if (sent == null || sent.key().equals(copied.get(name(file)))) return;
            HadoopFiles.put(sent.in(), uri(job.out() + "/" + name(file)), conf);
            copied.put(name(file), sent.key());
        }
    }

    /** A file opened, and what it was when opened: the same key before and after the opening. */
    private record Opened(InputStream in, Object key) implements AutoCloseable {

        static Opened of(Path file) throws IOException {
            while (true) {
                Object before = MirroredRun.key(file);
                if (before == null) return null;
                InputStream in;
                try {
                    in = Files.newInputStream(file);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue;
                }
                if (before.equals(MirroredRun.key(file))) return new Opened(in, before);
                in.close(); // replaced as it was opened: try again
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The run's files: all but the directory's lock and the temporary files of writes under way. */
    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        collect(dir, files);
        return files.stream().sorted().toList();
    }

    /** The files under {@code d}; not {@link Files#walk}, which fails on a temporary file renamed away between its listing and its look. */
    private static void collect(Path d, List<Path> files) throws IOException {
        try (Stream<Path> entries = Files.list(d)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) collect(p, files);
                else if (Files.isRegularFile(p) && !name.equals(RunDirectory.LOCK) && !name.endsWith(".tmp")) files.add(p);
            }
        }
    }

    /** The file's identity (a replaced file is a new one), time and size; null if there is none. */
    private static Object key(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private String name(Path file) {
        return String.join("/", Stream.of(dir.relativize(file).toString().split("[/\\\\]")).toList());
    }

    private static org.apache.hadoop.fs.Path uri(String uri) {
        return new org.apache.hadoop.fs.Path(uri);
    }

    /** Deletes the scratch directory. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
