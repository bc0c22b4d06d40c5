package dev.nndl.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this machine is, for device descriptions and benchmark rows. */
public final class Machine {

    private Machine() {}

    /** The CPU's model name (from /proc/cpuinfo on Linux), else the architecture. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: fall through
        }
        return System.getProperty("os.arch") + " CPU";
    }

    /** {@code "MODEL, N cores, host NAME"}: the host tells machines of one model apart in results gathered from several. */
    public static String describe() {
        return hostless() + ", host " + host();
    }

    /** {@code "MODEL, N cores"}, as benchmark rows named a machine before they named its host. */
    public static String hostless() {
        return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    /** This machine's host name, else "unknown". */
    public static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
