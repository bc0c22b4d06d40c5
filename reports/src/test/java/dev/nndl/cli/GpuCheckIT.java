package dev.nndl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU check's dry run, as CI runs it: {@code bin/gpu-pack} packs a runtime, the jars and the
 * OpenCL loader into one folder of at most 64 MiB, and {@code bin/gpu-check --dry-run} runs the
 * contract, a benchmark and the profile from that folder alone on PoCL's CPU device, writing the
 * files a run on a GPU writes. Runs after the build packaged the command line, in {@code mvn verify}.
 */
class GpuCheckIT {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theDryRunPassesFromThePackAlone(@TempDir Path temp) throws Exception {
        Assumptions.assumeTrue(CliRun.openClDriverInstalled(), "no OpenCL driver installed: the check needs one (CI installs PoCL)");
        Path pack = temp.resolve("pack"), out = temp.resolve("out");
        Run packed = run(ROOT.resolve("bin/gpu-pack").toString(), pack.toString());
        assertEquals(0, packed.code(), packed.out());
        assertTrue(bytes(pack) <= 64L << 20, "the pack is " + bytes(pack) + " bytes, over 64 MiB");

        Run check = run(ROOT.resolve("bin/gpu-check").toString(), "--dry-run", "--pack", pack.toString(), out.toString());
        assertEquals(0, check.code(), check.out() + Files.readString(out.resolve("gpu-check.log")));
        assertTrue(Files.readString(out.resolve("devices.txt")).contains("aparapi can run on:\n  OpenCL CPU "), Files.readString(out.resolve("devices.txt")));
        List<String> conform = Files.readAllLines(out.resolve("conform-aparapi.csv"));
        assertTrue(conform.size() > 40 && conform.stream().skip(1).allMatch(l -> l.contains(",pass,")), String.join("\n", conform));
        String bench = Files.readString(out.resolve("bench/steps/benchmarks.csv"));
        assertTrue(bench.contains(",training-step,step,v3-mb10,") && bench.contains(",aparapi,") && bench.contains(",cpu,"), bench);
        assertTrue(Files.size(out.resolve("bench/steps/chart-training-step.png")) > 1000);
        assertTrue(Files.readString(out.resolve("profile.txt")).matches("(?s).*\\nv3 +10 .* 6,313,040 +3,833,400 .*"), Files.readString(out.resolve("profile.txt")));
        assertTrue(Files.readString(out.resolve("summary.md")).contains("0 of the steps failed"));
        assertFalse(Files.exists(pack.resolve("runtime")), "the runtime is unpacked outside the pack, which must stay small enough to travel");
    }

    @Test
    void aMissingPackIsNamedWithTheCommandThatMakesIt(@TempDir Path temp) throws Exception {
        Run check = run(ROOT.resolve("bin/gpu-check").toString(), "--pack", temp.resolve("nothing").toString(), temp.resolve("out").toString());
        assertEquals(2, check.code(), check.out());
        assertEquals("gpu-check: " + temp.resolve("nothing") + " holds no packed runtime; run bin/gpu-pack where JDK 25 and Maven are, "
                + "and bring its folder along (--pack DIR)", check.out().strip());
    }

    record Run(int code, String out) {}

    private static Run run(String... command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(ROOT.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
        assertFalse(out.contains("nndl: building"), "the launcher found the build stale and built again:\n" + out);
        return new Run(p.exitValue(), out);
    }

    private static long bytes(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
