package dev.nndl.cli;

import dev.nndl.network.train.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code --out} of a command that hands its runs to a {@link Cluster}: a local directory, or,
 * with {@code --spark}, a Hadoop file system URI ({@code hdfs://}, {@code s3a://},
 * {@code file://}). The command works in the local directory {@link #dir()} either way: the
 * output directory itself, or a staging directory that stands for the URI. It tells its jobs
 * where to write with {@link #at}, brings what they wrote here to read with {@link #fetch}, and
 * sends what it writes itself to the URI with {@link #put}; for a local directory the last two do
 * nothing.
 */
final class OutDir implements AutoCloseable {

    private final Path dir;
    private final String uri;
    private final Cluster cluster;
    private final RunDirectory held;

    private OutDir(Path dir, String uri, Cluster cluster, RunDirectory held) {
        this.dir = dir;
        this.uri = uri;
        this.cluster = cluster;
        this.held = held;
    }

    /**
     * {@code out} as a local directory. A URI is refused, saying that only {@code fix} (the
     * options that run on Spark) writes to one, or what local directory a {@code file://} URI names.
     */
    static Path local(String out, String fix) {
        if (!Job.isUri(out)) return Path.of(out);
        String path = out.startsWith("file://") ? java.net.URI.create(out).getPath() : null;
        throw new IllegalArgumentException("--out " + out + " is a URI: only a run on Spark writes to a Hadoop file system (hdfs://, s3a://, file://); "
                + fix + ", or give a local directory" + (path == null || path.isEmpty() ? "" : ": " + path));
    }

    /**
     * Opens {@code out} for a command that runs on {@code cluster} (null: here, where a URI is
     * refused as {@link #local} refuses it). A local directory is held as
     * {@link TrainingOptions#claim} holds it where {@code options} is given; a URI that already
     * holds files is refused as such a directory is, unless {@code options} resume or force.
     */
    static OutDir open(String out, Cluster cluster, String fix, TrainingOptions options, picocli.CommandLine.Model.CommandSpec spec) throws IOException {
        if (cluster == null || !Job.isUri(out)) {
            Path dir = local(out, fix);
            return new OutDir(dir, null, null, options == null ? null : options.claim(dir, spec));
        }
        String uri = out.replaceAll("(?<!/)/+$", "");
        if (options != null && !options.resume && !options.force) {
            List<String> present = cluster.list(uri).stream().sorted().toList();
            if (!present.isEmpty()) {
                throw new IllegalStateException(uri + " already holds " + String.join(", ", present.subList(0, Math.min(present.size(), 6)))
                        + (present.size() > 6 ? ", ..." : "") + "; pass --resume to continue its runs, --force to overwrite them, or choose another --out");
            }
        }
        return new OutDir(Files.createTempDirectory("nndl-out-"), uri, cluster, null);
    }

    /** The local directory the command reads and writes: the output directory, or the one that stands for its URI. */
    Path dir() {
        return dir;
    }

    /** What a job is told {@code file} (under {@link #dir()}) is: its absolute path, or its URI. */
    String at(Path file) {
        if (uri == null) return file.toAbsolutePath().toString();
        return uri + "/" + String.join("/", Stream.of(dir.relativize(file).toString().split("[/\\\\]")).toList());
    }

    /** {@code file} (under {@link #dir()}) in a message: its path as the user gave the directory, or its URI. */
    String name(Path file) {
        return uri == null ? file.toString() : at(file);
    }

    /** {@code file} (under {@link #dir()}) as a job wrote it: copied from the URI first, where there is one and it has the file. */
    Path fetch(Path file) throws IOException {
        if (uri != null) cluster.fetch(at(file), file);
        return file;
    }

    /** Sends {@code file} (under {@link #dir()}), which this command wrote, to the URI, where there is one. */
    void put(Path file) throws IOException {
        if (uri != null) cluster.put(file, at(file));
    }

    /** The output directory or URI, as the user gave it. */
    @Override
    public String toString() {
        return uri != null ? uri : dir.toString();
    }

    /** Releases a held directory; deletes the one that stood for a URI. */
    @Override
    public void close() throws IOException {
        if (held != null) held.close();
        if (uri == null) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
