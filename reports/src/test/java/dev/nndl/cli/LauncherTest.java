package dev.nndl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script {@code ./nndl}. Running it whole would build the project first, so this
 * runs the line that turns {@code NNDL_JAVA_OPTS} into JVM arguments, taken from the script, in
 * bash, and checks that the script hands the JVM those arguments and nothing else of the variable.
 */
class LauncherTest {

    static final Path LAUNCHER = Path.of("").toAbsolutePath().resolveSibling("nndl");

    @Test
    void javaOptionsSplitAtWhitespaceWithoutGlobExpansion(@TempDir Path dir) throws Exception {
        List<String> script = Files.readAllLines(LAUNCHER);
        String split = script.stream().filter(l -> l.contains("NNDL_JAVA_OPTS") && !l.startsWith("#")).findFirst().orElseThrow();
        assertTrue(script.stream().anyMatch(l -> l.startsWith("exec ") && l.contains("\"${java_opts[@]}\"") && !l.contains("NNDL_JAVA_OPTS")),
                "the JVM gets the split options, not the variable word-split by the shell");
        Files.writeString(dir.resolve("a-file"), "");
        Files.writeString(dir.resolve("-Dx=matches-the-glob"), "");
        ProcessBuilder bash = new ProcessBuilder("bash", "-euc", split + "\nprintf '%s\\n' \"${java_opts[@]}\"").directory(dir.toFile());
        bash.environment().put("NNDL_JAVA_OPTS", "  -Dx=*   -Dy=?\t-Xmx2g ");
        Process p = bash.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals(List.of("-Dx=*", "-Dy=?", "-Xmx2g"), out.lines().toList());
    }
}
