package dev.nndl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins through the launcher, as a kernel author uses them: the jar of examples/my-backend, as
 * the examples' build (maven-invoker-plugin, in this module's integration-test phase) left it,
 * reaches {@code ./nndl} through {@code NNDL_CLASSPATH}, {@code --plugins DIR} and the plugins
 * folder of the user's configuration; {@code backends} says where it came from and
 * {@code conform} runs the contract on it. Runs after the build packaged the command line (whose
 * stamp keeps the launcher from building again), in {@code mvn verify}.
 */
class LauncherPluginsIT {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path EXAMPLE = Path.of("target", "examples", "my-backend", "target").toAbsolutePath();
    static Path jar;

    @TempDir
    Path temp;

    @BeforeAll
    static void theExampleWasBuilt() throws IOException {
        assertTrue(Files.isRegularFile(ROOT.resolve("reports/target/nndl.built")), "the launcher's build stamp: run mvn verify");
        try (Stream<Path> jars = Files.list(EXAMPLE)) {
            jar = jars.filter(p -> p.getFileName().toString().matches("my-backend-.*\\.jar")).findFirst().orElseThrow(
                    () -> new AssertionError("the examples' build (maven-invoker-plugin) left no jar of examples/my-backend in " + EXAMPLE));
        }
    }

    @Test
    void nndlClasspathAddsThePluginAndBackendsSaysWhereFrom() throws Exception {
        Run r = nndl(Map.of("NNDL_CLASSPATH", jar.toString()), "backends");
        assertEquals(0, r.code(), r.out());
        assertTrue(hasLine(r, "my-kernels +" + Pattern.quote(jar.toString()) + " +available: Java"), r.out());
        assertTrue(hasLine(r, "reference +built in +available: "), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.matches("backend +loaded from +status")).count(), r.out());
    }

    @Test
    void conformRunsTheContractOnThePlugin() throws Exception {
        Run r = nndl(Map.of("NNDL_CLASSPATH", jar.toString()), "conform", "--backend", "my-kernels", "--tries", "1");
        assertEquals(0, r.code(), r.out());
        assertTrue(hasLine(r, "  relu forward +pass "), r.out());
        assertTrue(r.out().contains("my-kernels: PASSED 6 of 48 operations; 42 delegated to the reference"), r.out());
    }

    @Test
    void pluginsTakesEveryJarOfADirectory() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("plugins"));
        Path copy = Files.copy(jar, dir.resolve("my-backend.jar"));
        Run listed = nndl(Map.of(), "--plugins", dir.toString(), "backends");
        assertEquals(0, listed.code(), listed.out());
        assertTrue(hasLine(listed, "my-kernels +" + Pattern.quote(copy.toString()) + " +available: "), listed.out());
        Run conform = nndl(Map.of(), "--plugins", dir.toString(), "conform", "--backend", "my-kernels", "--ops", "sigmoid", "--tries", "1");
        assertEquals(0, conform.code(), conform.out());
        assertTrue(conform.out().contains("my-kernels: PASSED every operation"), conform.out());
    }

    @Test
    void theConfigurationsPluginsFolderIsReadWithoutPlugins() throws Exception {
        Path copy = Files.copy(jar, Files.createDirectories(temp.resolve("nndl/plugins")).resolve("my-backend.jar"));
        Run r = nndl(Map.of(), "backends");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains(copy + "  available: "), r.out());
    }

    @Test
    void aMissingPluginsDirectoryIsOneLineNamingTheOption() throws Exception {
        Path missing = temp.resolve("no-such-dir");
        Run r = nndl(Map.of(), "--plugins", missing.toString(), "backends");
        assertEquals(2, r.code(), r.out());
        assertEquals("nndl: --plugins " + missing + ": no such directory; name a directory that holds plugin jars, "
                + "or leave out --plugins to use " + temp.resolve("nndl/plugins"), r.out().strip());
        Run env = nndl(Map.of("NNDL_CLASSPATH", jar + ":" + missing), "backends");
        assertEquals(2, env.code(), env.out());
        assertEquals("nndl: NNDL_CLASSPATH names " + missing + ", which does not exist; correct the path or remove it from NNDL_CLASSPATH", env.out().strip());
    }

    record Run(int code, String out) {}

    /** Whether a line of {@code r}'s output starts with a match of {@code regex}. */
    static boolean hasLine(Run r, String regex) {
        return Pattern.compile("^" + regex, Pattern.MULTILINE).matcher(r.out()).find();
    }

    /**
     * {@code ./nndl ARGS} with {@code env}, the user's configuration folder replaced by the test's
     * (empty unless a test fills it) and none of the user's nndl variables. Standard error is merged into {@code out}.
     */
    Run nndl(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("nndl").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("NNDL_"));
        builder.environment().put("XDG_CONFIG_HOME", temp.toString());
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) p.destroyForcibly();
        assertFalse(out.contains("nndl: building"), "the launcher found the build stale and built again:\n" + out);
        return new Run(p.exitValue(), out);
    }
}
