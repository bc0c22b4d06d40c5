package dev.nndl.network.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * An output directory held by one command for as long as it writes there. {@link #claim} refuses
 * a directory that another process holds (naming it), a path that is a file, and a directory that
 * already holds files unless the command resumes its run or was told to overwrite it.
 *
 * <p>The hold is an operating-system lock on {@value #LOCK} inside the directory, which also
 * records who holds it; the system drops the lock when the process ends, however it ends, so the
 * file a killed process leaves behind blocks nobody.
 */
public final class RunDirectory implements AutoCloseable {

    public static final String LOCK = ".nndl.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectory(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed and locks it for {@code command}. Unless {@code resume} or
     * {@code overwrite}, it must hold nothing yet (a lock file left by an earlier run aside).
     * {@code option} names the path in errors (the command line's {@code --out}).
     */
    public static RunDirectory claim(Path dir, String option, boolean resume, boolean overwrite, String command) throws IOException {
        if (dir.toString().isEmpty()) throw new IllegalArgumentException(option + " is empty; name a directory for the run's files");
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is a file, not a directory; choose a directory for the run's files");
        }
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM
        }
        if (lock == null) {
            String holder = Files.readString(dir.resolve(LOCK)).strip();
            channel.close();
            throw new IllegalStateException(dir + " is in use by another run (" + (holder.isEmpty() ? "starting" : holder)
                    + "); wait for it to end, or choose another " + option);
        }
        try {
            if (!resume && !overwrite) refuseFiles(dir, option);
            channel.truncate(0).write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", " + command + ", since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new RunDirectory(channel, lock);
    }

    private static void refuseFiles(Path dir, String option) throws IOException {
        List<String> present;
        try (Stream<Path> entries = Files.list(dir)) {
            present = entries.map(p -> p.getFileName().toString()).filter(name -> !name.equals(LOCK)).sorted().toList();
        }
        if (!present.isEmpty()) {
            throw new IllegalStateException(dir + " already holds " + String.join(", ", present.subList(0, Math.min(present.size(), 6)))
                    + (present.size() > 6 ? ", ..." : "") + "; pass --resume to continue its run, --force to overwrite it, or choose another " + option);
        }
    }

    /** Releases the directory; the lock file stays, holding nobody. */
    @Override
    public void close() throws IOException {
        try (channel) {
            lock.release();
        }
    }
}
