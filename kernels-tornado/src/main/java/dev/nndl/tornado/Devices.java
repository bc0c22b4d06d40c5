package dev.nndl.tornado;

import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

/** TornadoVM's devices as {@code -Dnndl.tornado.device=DRIVER:DEVICE} names them, and their names for logs and CSV rows. */
final class Devices {

    private Devices() {}

    /** The device {@code DRIVER:DEVICE} ({@code tornado --devices} numbers both from 0); throws naming what exists. */
    static TornadoDevice choose(String spec) {
        String[] parts = spec.trim().split(":");
        int driver, index;
        try {
            if (parts.length != 2) throw new NumberFormatException();
            driver = Integer.parseInt(parts[0]);
            index = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + TornadoKernels.DEVICE + "=" + spec + " is not DRIVER:DEVICE, e.g. 0:0; devices here: " + list());
        }
        var runtime = TornadoRuntimeProvider.getTornadoRuntime();
        if (driver < 0 || driver >= runtime.getNumBackends() || index < 0 || index >= runtime.getBackend(driver).getNumDevices()) {
            throw new IllegalArgumentException("-D" + TornadoKernels.DEVICE + "=" + spec + ": no such TornadoVM device; devices here: " + list());
        }
        return TornadoExecutionPlan.getDevice(driver, index);
    }

    /** Every device, {@code DRIVER:DEVICE name}, for error messages. */
    static String list() {
        var runtime = TornadoRuntimeProvider.getTornadoRuntime();
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < runtime.getNumBackends(); d++) {
            for (int i = 0; i < runtime.getBackend(d).getNumDevices(); i++) {
                if (!b.isEmpty()) b.append(", ");
                b.append(d).append(':').append(i).append(' ').append(describe(runtime.getBackend(d).getDevice(i)));
            }
        }
        return b.isEmpty() ? "none" : b.toString();
    }

    static String describe(TornadoDevice device) {
        return device.getTornadoVMBackend() + " " + device.getDeviceType() + " " + device.getPhysicalDevice().getDeviceName().strip()
                + " (" + device.getPlatformName().strip() + ")";
    }
}
