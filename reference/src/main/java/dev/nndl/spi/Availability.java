package dev.nndl.spi;

/**
 * Whether a backend can start on this machine, and if not, why: "no OpenCL device", "the
 * jdk.incubator.vector module is missing (add --add-modules jdk.incubator.vector)", and so on.
 */
public record Availability(boolean available, String reason) {

    public Availability {
        if (!available && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("an unavailable backend must say why");
        }
    }

    public static Availability yes() {
        return new Availability(true, "");
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
