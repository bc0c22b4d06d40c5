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

    private OpenClDevices() {}

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
