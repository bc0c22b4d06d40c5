package dev.nndl.spi;

/**
 * Where a device backend's time went, from the device's own event timestamps: writing inputs to
 * the device, running kernels, reading results back; and the host's wall time around those
 * launches, which also counts the runtime's bookkeeping between them. Backends measure it only
 * when the JVM runs with {@code -Dnndl.profile=true} ({@link #PROPERTY}), since timing every
 * event costs a little.
 */
public record DeviceTime(long launches, double writeMillis, double kernelMillis, double readMillis, double wallMillis) {

    /** The system property that turns the measurement on. */
    public static final String PROPERTY = "nndl.profile";

    /** Whether this JVM asked for the measurement. */
    public static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Time the device was busy: writes, kernels and reads. */
    public double deviceMillis() {
        return writeMillis + kernelMillis + readMillis;
    }

    /** The transfers' share of the device's busy time: {@code (write + read) / (write + kernel + read)}. */
    public double transferShare() {
        return deviceMillis() == 0 ? 0 : (writeMillis + readMillis) / deviceMillis();
    }

    /** The share of the wall time in which the device was not busy: launch overhead, the host's own work. */
    public double hostShare() {
        return wallMillis == 0 ? 0 : Math.max(0, wallMillis - deviceMillis()) / wallMillis;
    }

    /** What happened between {@code earlier} and this. */
    public DeviceTime since(DeviceTime earlier) {
        return new DeviceTime(launches - earlier.launches, writeMillis - earlier.writeMillis, kernelMillis - earlier.kernelMillis,
                readMillis - earlier.readMillis, wallMillis - earlier.wallMillis);
    }

    @Override
    public String toString() {
        return String.format("%d launches: %.1f ms writing, %.1f ms in kernels, %.1f ms reading (transfers %.1f %% of device time); "
                + "%.1f ms wall (%.1f %% outside the device)", launches, writeMillis, kernelMillis, readMillis, 100 * transferShare(), wallMillis,
                100 * hostShare());
    }
}
