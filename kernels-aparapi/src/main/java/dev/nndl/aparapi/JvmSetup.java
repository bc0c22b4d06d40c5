package dev.nndl.aparapi;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an Aparapi JVM needs before it loads an OpenCL driver. PoCL (and other drivers) install
 * their own signal handlers over the JVM's, which crashes the JVM now and then unless the JVM's
 * signal-chaining library is preloaded; and Aparapi's JNI library needs native access.
 */
final class JvmSetup {

    private JvmSetup() {}

    /** The library to preload: this JVM's {@code lib/libjsig.so}. */
    static Path signalChaining() {
        return Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    }

    /** Why this JVM must not load an OpenCL driver, or null if it may. */
    static String problem() {
        Path jsig = signalChaining();
        if (Files.exists(jsig) && !preloaded(jsig, System.getenv("LD_PRELOAD"))) {
            return "the JVM was started without LD_PRELOAD=" + jsig + ", which OpenCL drivers need to leave the JVM's signal handlers"
                    + " working; start it with that variable set (./nndl does)";
        }
        if (!JvmSetup.class.getModule().isNativeAccessEnabled()) {
            return "the JVM was started without --enable-native-access=ALL-UNNAMED, which Aparapi's JNI library needs (./nndl adds it)";
        }
        return null;
    }

    /** Whether {@code preload} (LD_PRELOAD: paths separated by colons or spaces) names {@code library}. */
    static boolean preloaded(Path library, String preload) {
        if (preload == null) return false;
        for (String entry : preload.split("[: ]+")) {
            if (entry.isEmpty()) continue;
            try {
                if (Files.isSameFile(Path.of(entry), library)) return true;
            } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
                // a missing or odd entry is not this library
            }
        }
        return false;
    }
}
