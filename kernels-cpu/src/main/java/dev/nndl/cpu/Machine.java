package dev.nndl.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this machine's CPU is called, for device descriptions. */
final class Machine {

    private Machine() {}

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: fall through
        }
        return System.getProperty("os.arch") + " CPU";
    }
}
