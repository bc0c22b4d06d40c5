package dev.nndl.aparapi;

import dev.nndl.spi.Availability;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;

/**
 * Registers {@link AparapiKernels} as the backend {@code aparapi}. It is available when the JVM
 * was started as an OpenCL driver needs it, an OpenCL device exists (the one
 * {@code -Dnndl.aparapi.device} names, if set), and every kernel translates to OpenCL and compiles
 * on it; otherwise it says which of these failed and how to fix it. The probe compiles the
 * kernels once per JVM.
 */
public final class AparapiKernelSetProvider implements KernelSetProvider {

    private static volatile Availability probed;

    @Override
    public String name() {
        return "aparapi";
    }

    @Override
    public Availability availability() {
        Availability a = probed;
        if (a == null) {
            synchronized (AparapiKernelSetProvider.class) {
                if (probed == null) probed = probe();
                a = probed;
            }
        }
        return a;
    }

    private static Availability probe() {
        String jvm = JvmSetup.problem();
        if (jvm != null) return Availability.no(jvm);
        try {
            new AparapiKernels().close();
            return Availability.yes();
        } catch (IllegalStateException e) {
            return Availability.no(e.getMessage());
        }
    }

    /** Every OpenCL device, GPUs first, each with the {@code -Dnndl.aparapi.device} index that picks it. */
    @Override
    public java.util.List<String> devices() {
        if (JvmSetup.problem() != null) return java.util.List.of();
        try {
            var devices = OpenClDevices.list();
            java.util.List<String> described = new java.util.ArrayList<>();
            for (int i = 0; i < devices.size(); i++) {
                described.add(OpenClDevices.describe(devices.get(i)) + " (-D" + OpenClDevices.PROPERTY + "=" + i + ")");
            }
            return described;
        } catch (IllegalStateException e) {
            return java.util.List.of();
        }
    }

    @Override
    public KernelSet create() {
        Availability a = availability();
        if (!a.available()) throw new IllegalStateException("backend 'aparapi' cannot start: " + a.reason());
        return new AparapiKernels();
    }
}
