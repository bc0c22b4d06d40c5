package dev.nndl.spi;

/**
 * Bytes a device backend moved between host and device: what {@link KernelSet#upload} and first
 * uses sent to the device, and what {@link KernelSet#download} (or a backend that copies every
 * output back) brought to the host.
 */
public record Transfers(long toDevice, long toHost) {

    public static final Transfers NONE = new Transfers(0, 0);

    /** Both directions together. */
    public long total() {
        return toDevice + toHost;
    }

    /** What moved between {@code earlier} and this. */
    public Transfers since(Transfers earlier) {
        return new Transfers(toDevice - earlier.toDevice, toHost - earlier.toHost);
    }

    public Transfers plus(Transfers other) {
        return new Transfers(toDevice + other.toDevice, toHost + other.toHost);
    }
}
