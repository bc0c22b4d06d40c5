package dev.nndl.tornado;

import dev.nndl.spi.DeviceTime;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;

/**
 * The launches' device time, summed from TornadoVM's profiler (nanoseconds of writes to the
 * device, kernels and reads back per plan execution), when the JVM runs with
 * {@code -Dnndl.profile=true}; otherwise only launches and wall time are counted. The bytes each
 * launch moves are counted always.
 */
final class DeviceClock {

    static final boolean ON = DeviceTime.requested();

    private long launches, write, kernel, read, wall, toDevice, toHost;

    synchronized void add(TornadoExecutionResult result, long wallNanos, long bytesToDevice, long bytesToHost) {
        launches++;
        wall += wallNanos;
        toDevice += bytesToDevice;
        toHost += bytesToHost;
        if (ON && result != null && result.getProfilerResult() != null) {
            var profile = result.getProfilerResult();
            write += Math.max(0, profile.getDeviceWriteTime());
            kernel += Math.max(0, profile.getDeviceKernelTime());
            read += Math.max(0, profile.getDeviceReadTime());
        }
    }

    synchronized dev.nndl.spi.Transfers transfers() {
        return new dev.nndl.spi.Transfers(toDevice, toHost);
    }

    synchronized DeviceTime read() {
        return new DeviceTime(launches, write * 1e-6, kernel * 1e-6, read * 1e-6, wall * 1e-6);
    }
}
