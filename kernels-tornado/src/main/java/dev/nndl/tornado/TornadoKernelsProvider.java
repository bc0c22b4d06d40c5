package dev.nndl.tornado;

import dev.nndl.spi.Availability;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;

/**
 * Registers the TornadoVM backend as {@code tornado}. It can start only in a JVM that TornadoVM's
 * argfile configured ({@code java @$TORNADOVM_HOME/tornado-argfile ...}: its module path, JVMCI
 * and native libraries), on a device that compiles a kernel: the probe starts the backend and
 * runs one small operation, and any failure becomes the reason it is unavailable.
 */
public final class TornadoKernelsProvider implements KernelSetProvider {

    private volatile Availability availability;

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) availability = a = probe();
        return a;
    }

    private static Availability probe() {
        if (System.getProperty("tornado.load.api.implementation") == null && !moduleLayerHasTornado()) {
            return Availability.no("TornadoVM's runtime is not in this JVM: start it with java @$TORNADOVM_HOME/tornado-argfile (./nndl and the build do "
                    + "when TORNADOVM_HOME is set)");
        }
        try (TornadoKernels k = new TornadoKernels()) {
            float[] out = new float[3];
            k.addForward(out, new float[] {1, 2, 3}, new float[] {4, 5, 6});
            k.download(out);
            if (out[0] != 5 || out[1] != 7 || out[2] != 9) return Availability.no("a test addition on " + k.device() + " gave wrong results");
            return Availability.yes();
        } catch (Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) t = t.getCause();
            return Availability.no("TornadoVM could not run a kernel: " + t);
        }
    }

    private static boolean moduleLayerHasTornado() {
        return ModuleLayer.boot().findModule("tornado.runtime").isPresent();
    }

    @Override
    public KernelSet create() {
        Availability a = availability();
        if (!a.available()) throw new IllegalStateException("tornado backend unavailable: " + a.reason());
        return new TornadoKernels();
    }
}
