package dev.nndl.aparapi;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import java.util.List;

/**
 * Finds the OpenCL device the backend runs on, as {@code -Dnndl.aparapi.device} asks: {@code gpu}
 * (the first GPU), {@code cpu} (the first OpenCL CPU device, e.g. PoCL's), or the index of a device
 * in {@link #list()}'s order; by default the first GPU, else the first CPU device.
 */
final class OpenClDevices {

    /** The system property that picks the device. */
    static final String PROPERTY = "nndl.aparapi.device";

    /**
     * Aparapi logs a warning for every class-file attribute it does not know (the compiler's
     * MethodParameters, NestHost) on every kernel it translates; a fallback, the one warning that
     * matters, is an error here anyway ({@link Launcher}). Its configuration class also sets the
     * level of the root logger's handlers when it loads, which would hide other INFO logs: this
     * loads it, puts the handlers back, and quiets Aparapi's logger (which it names after its
     * level property) alone. With {@code -Dnndl.profile=true} it also turns on Aparapi's event timing,
     * which must be set before Aparapi loads. Held so that the
     * setting stays.
     */
    private static final java.util.logging.Logger APARAPI_LOG = java.util.logging.Logger.getLogger("com.aparapi.logLevel");

    static {
        var handlers = java.util.logging.Logger.getLogger("").getHandlers();
        var levels = java.util.Arrays.stream(handlers).map(java.util.logging.Handler::getLevel).toList();
        if (dev.nndl.spi.DeviceTime.requested()) System.setProperty("com.aparapi.enableProfiling", "true");
        try {
            Class.forName("com.aparapi.Config");
        } catch (ClassNotFoundException | LinkageError e) {
            // no Aparapi: list() says so
        }
        for (int i = 0; i < handlers.length; i++) handlers[i].setLevel(levels.get(i));
        APARAPI_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private OpenClDevices() {}

    /** Whether Aparapi times events; reading it through this class makes sure the switch above was set first. */
    static boolean profiling() {
        return com.aparapi.internal.jni.ConfigJNI.enableProfiling;
    }

    /** Every OpenCL device of every platform, GPUs first. Throws {@link IllegalStateException} when OpenCL itself cannot load. */
    static List<OpenCLDevice> list() {
        try {
            List<OpenCLDevice> gpus = OpenCLDevice.listDevices(Device.TYPE.GPU);
            List<OpenCLDevice> others = OpenCLDevice.listDevices(null).stream().filter(d -> d.getType() != Device.TYPE.GPU).toList();
            return java.util.stream.Stream.concat(gpus.stream(), others.stream()).toList();
        } catch (LinkageError | RuntimeException e) {
            throw new IllegalStateException("OpenCL could not be loaded (" + e + "); install an OpenCL driver, e.g. apt-get install pocl-opencl-icd", e);
        }
    }

    /** The device {@code spec} names (null or blank: the default). Throws {@link IllegalStateException} naming what exists. */
    static OpenCLDevice choose(String spec) {
        List<OpenCLDevice> devices = list();
        if (devices.isEmpty()) {
            throw new IllegalStateException("no OpenCL device: install an OpenCL driver (a GPU's, or PoCL's CPU device: apt-get install pocl-opencl-icd)");
        }
        String want = spec == null || spec.isBlank() ? "" : spec.strip().toLowerCase(java.util.Locale.ROOT);
        if (want.isEmpty()) return devices.getFirst();
        if (want.equals("gpu") || want.equals("cpu")) {
            Device.TYPE type = want.equals("gpu") ? Device.TYPE.GPU : Device.TYPE.CPU;
            return devices.stream().filter(d -> d.getType() == type).findFirst().orElseThrow(() -> new IllegalStateException(
                    "-D" + PROPERTY + "=" + spec + ": no OpenCL " + want.toUpperCase(java.util.Locale.ROOT) + " device; there are: " + describe(devices)));
        }
        if (want.matches("[0-9]+")) {
            int index = Integer.parseInt(want);
            if (index < devices.size()) return devices.get(index);
        }
        throw new IllegalStateException("-D" + PROPERTY + "=" + spec + " names no device; use gpu, cpu or an index: " + describe(devices));
    }

    /** {@code "OpenCL CPU pthread-haswell-AMD EPYC (Portable Computing Language), 2 compute units"}. */
    static String describe(OpenCLDevice d) {
        return "OpenCL " + d.getType() + " " + d.getName().strip() + " (" + d.getOpenCLPlatform().getName().strip() + "), "
                + d.getMaxComputeUnits() + " compute units";
    }

    private static String describe(List<OpenCLDevice> devices) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < devices.size(); i++) s.append(i == 0 ? "" : "; ").append(i).append(": ").append(describe(devices.get(i)));
        return s.toString();
    }
}
