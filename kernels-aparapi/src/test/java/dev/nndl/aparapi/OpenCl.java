package dev.nndl.aparapi;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nndl.spi.Availability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Test helper: the backend where an OpenCL driver is installed, a skipped test where none is. */
final class OpenCl {

    private static final Path VENDORS = Path.of("/etc/OpenCL/vendors");

    private OpenCl() {}

    /** Whether an OpenCL driver (an ICD file) is installed. */
    static boolean installed() {
        try (Stream<Path> icds = Files.list(VENDORS)) {
            return icds.anyMatch(p -> p.toString().endsWith(".icd"));
        } catch (IOException e) {
            return false;
        }
    }

    /** A started backend; the calling test is skipped where no driver is installed, and fails where one is but the backend cannot start. */
    static AparapiKernels required() {
        assumeTrue(installed(), "no OpenCL driver in " + VENDORS + " (apt-get install pocl-opencl-icd): the Aparapi backend is not tested here");
        Availability a = new AparapiKernelSetProvider().availability();
        if (!a.available()) throw new AssertionError("an OpenCL driver is installed but the aparapi backend cannot start: " + a.reason());
        return new AparapiKernels();
    }
}
