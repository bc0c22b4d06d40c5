package dev.nndl.distributed;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * Files on a Hadoop file system ({@code hdfs://}, {@code s3a://}, {@code file://}) as run
 * directories use them: listed, copied down whole, and replaced whole through a temporary name
 * beside them, so that a reader (another attempt's task) finds the old file or the new one. The
 * local file system is used without Hadoop's {@code .crc} files beside each file, so a run
 * directory there holds exactly the files a run on one machine writes.
 */
final class HadoopFiles {

    private HadoopFiles() {}

    /**
     * The Hadoop configuration of this driver: the class path's {@code core-site.xml}, the
     * {@code core-site.xml} and {@code hdfs-site.xml} of {@code HADOOP_CONF_DIR}, and every
     * {@code spark.hadoop.X} of {@code spark} as {@code X} (credentials such as
     * {@code spark.hadoop.fs.s3a.access.key} come this way, as system properties).
     */
    static Configuration configuration(SparkConf spark) {
        Configuration conf = new Configuration();
        String dir = System.getenv("HADOOP_CONF_DIR");
        if (dir != null && !dir.isBlank()) {
            for (String site : List.of("core-site.xml", "hdfs-site.xml")) {
                java.nio.file.Path file = java.nio.file.Path.of(dir, site);
                if (Files.isRegularFile(file)) conf.addResource(new Path(file.toUri()));
            }
        }
        for (Tuple2<String, String> kv : spark.getAllWithPrefix("spark.hadoop.")) conf.set(kv._1(), kv._2());
        return conf;
    }

    /** A configuration as a task receives it: the driver's, written out, since Hadoop's own is not serializable. */
    record Shipped(byte[] bytes) implements Serializable {

        static Shipped of(Configuration conf) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                conf.write(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Shipped(bytes.toByteArray());
        }

        Configuration configuration() throws IOException {
            Configuration conf = new Configuration(false);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                conf.readFields(in);
            }
            return conf;
        }
    }

    /** The file system of {@code path}; for {@code file://}, the local one without checksum files. */
    static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
        FileSystem fs;
        try {
            fs = path.getFileSystem(conf);
        } catch (UnsupportedFileSystemException e) {
            throw new IOException("no Hadoop file system for " + path.toUri().getScheme() + ":// on this class path (" + e.getMessage() + ")"
                    + (path.toUri().getScheme().equals("s3a") ? "; s3a:// needs the hadoop-aws jar of Spark's Hadoop version and its AWS SDK "
                            + "bundle, added with NNDL_CLASSPATH" : "; use hdfs://, file://, or add the file system's jar with NNDL_CLASSPATH"), e);
        }
        return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    }

    /** The names in the directory {@code dir}; none if there is no such directory. */
    static List<String> list(Path dir, Configuration conf) throws IOException {
        FileSystem fs = fileSystem(dir, conf);
        List<String> names = new ArrayList<>();
        if (!fs.exists(dir)) return names;
        for (FileStatus s : fs.listStatus(dir)) names.add(s.getPath().getName());
        return names;
    }

    /** Copies the file {@code file} to {@code local}, making its directory; false, copying nothing, if there is no such file. */
    static boolean fetch(Path file, java.nio.file.Path local, Configuration conf) throws IOException {
        FileSystem fs = fileSystem(file, conf);
        if (!fs.exists(file) || !fs.getFileStatus(file).isFile()) return false;
        copy(fs, file, local);
        return true;
    }

    /** Copies every file under the directory {@code dir} into {@code local}, as it is laid out there, but for unfinished copies ({@link #unfinished}). */
    static void fetchAll(Path dir, java.nio.file.Path local, Configuration conf) throws IOException {
        FileSystem fs = fileSystem(dir, conf);
        if (!fs.exists(dir)) return;
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (unfinished(name)) continue;
            if (s.isDirectory()) fetchAll(s.getPath(), local.resolve(name), conf);
            else copy(fs, s.getPath(), local.resolve(name));
        }
    }

    private static void copy(FileSystem fs, Path file, java.nio.file.Path local) throws IOException {
        Files.createDirectories(local.toAbsolutePath().getParent());
        try (InputStream in = fs.open(file)) {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Copies {@code local} to the file {@code file}, replacing it whole. */
    static void put(java.nio.file.Path local, Path file, Configuration conf) throws IOException {
        try (InputStream in = Files.newInputStream(local)) {
            put(in, file, conf);
        }
    }

    /**
     * Writes {@code in} to a temporary file beside {@code file} and renames it over {@code file}
     * (atomically on HDFS and the local file system; an object store's rename is a copy).
     */
    static void put(InputStream in, Path file, Configuration conf) throws IOException {
        FileSystem fs = fileSystem(file, conf);
        Path temp = new Path(file.getParent(), "." + file.getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + PART);
        try {
            try (OutputStream out = fs.create(temp, true)) {
                in.transferTo(out);
            }
            if (fs instanceof RawLocalFileSystem) {
                // rename(2) replaces the file; FileContext would start a shell to look for links first
                if (!fs.rename(temp, file)) throw new IOException("could not rename " + temp + " to " + file);
            } else {
                FileContext.getFileContext(file.toUri(), conf).rename(temp, file, Options.Rename.OVERWRITE);
            }
        } finally {
            if (fs.exists(temp)) fs.delete(temp, false);
        }
    }

    private static final String PART = ".part";

    /** Whether {@code name} is a copy {@link #put} had not finished: a task that died left it. */
    static boolean unfinished(String name) {
        return name.startsWith(".") && name.endsWith(PART);
    }
}
