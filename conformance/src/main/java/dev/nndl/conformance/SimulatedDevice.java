package dev.nndl.conformance;

import dev.nndl.spi.Families;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.Transfers;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Any kernel set as if it ran on a discrete device: every operation computes on device copies
 * of its arrays, kept apart from the host arrays, and the two meet only through
 * {@link KernelSet#upload} and {@link KernelSet#download}, as {@code KernelSet}'s residency rules
 * say. A caller that writes an array on the host without uploading it, or reads one without
 * downloading it, gets the wrong numbers here, where a host backend would have hidden the
 * mistake. {@link #transfers} counts the bytes a real device would have moved.
 *
 * <p>Device copies are keyed by the host array's identity (arrays keep {@code Object}'s
 * {@code equals}) and held weakly, so they go when the host array does.
 */
public final class SimulatedDevice implements KernelSet {

    /** Operations that write more than their first array argument: how many they write, outputs first. */
    private static final Map<String, Integer> OUTPUTS = Map.of("dropoutForward", 2, "sgdUpdate", 2, "fullyConnectedSgdStep", 2, "lstmForward", 3, "rnnBackward", 3,
            "lstmBackward", 4);

    private final KernelSet host;
    private final Families families;
    private final Map<float[], float[]> device = new WeakHashMap<>();
    private final Set<float[]> newerOnDevice = Collections.newSetFromMap(new WeakHashMap<>());
    private long toDevice, toHost;

    public SimulatedDevice(KernelSet host) {
        this.host = host;
        // every family's calls swap host arrays for device copies and mark what the operation wrote
        this.families = host.families().intercepted(this::call);
    }

    @Override
    public String name() {
        return host.name();
    }

    @Override
    public String device() {
        return host.device() + ", as a simulated discrete device";
    }

    @Override
    public int threads() {
        return host.threads();
    }

    @Override
    public Families families() {
        return families;
    }

    @Override
    public void upload(float[]... arrays) {
        for (float[] a : arrays) {
            float[] d = device.get(a);
            if (d == null) device.put(a, a.clone());
            else System.arraycopy(a, 0, d, 0, a.length);
            newerOnDevice.remove(a);
            toDevice += Float.BYTES * (long) a.length;
        }
    }

    @Override
    public void download(float[]... arrays) {
        for (float[] a : arrays) {
            if (!newerOnDevice.remove(a)) continue;
            System.arraycopy(device.get(a), 0, a, 0, a.length);
            toHost += Float.BYTES * (long) a.length;
        }
    }

    @Override
    public java.util.Optional<Transfers> transfers() {
        return java.util.Optional.of(new Transfers(toDevice, toHost));
    }

    @Override
    public void close() {
        device.clear();
        newerOnDevice.clear();
        host.close();
    }

    /** The device copy of {@code a}; an array met for the first time is taken from the host. */
    private float[] copyOf(float[] a) {
        float[] d = device.get(a);
        if (d == null) upload(a);
        return device.get(a);
    }

    private Object call(Object family, Method method, Object[] args) {
        Object[] onDevice = args.clone();
        int outputs = OUTPUTS.getOrDefault(method.getName(), 1);
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
            // an output left out (null, as fullyConnectedSgdStep's dIn may be) still takes its place among the outputs
            if (args[i] == null && types[i] == float[].class) outputs--;
            else if (args[i] instanceof float[] a) {
                onDevice[i] = copyOf(a);
                if (outputs-- > 0) newerOnDevice.add(a);
            } else if (args[i] instanceof float[][] parts) {
                float[][] copies = new float[parts.length][];
                for (int p = 0; p < parts.length; p++) copies[p] = copyOf(parts[p]);
                onDevice[i] = copies;
                if (outputs-- > 0) newerOnDevice.addAll(java.util.Arrays.asList(parts));
            }
        }
        return Families.invoke(method, family, onDevice);
    }
}
