package dev.nndl.spi;

/**
 * A backend, found through {@link java.util.ServiceLoader}: a jar registers its provider in
 * {@code META-INF/services/dev.nndl.spi.KernelSetProvider}. Creating a provider must be cheap and
 * must not fail; {@link #availability()} does the probing.
 */
public interface KernelSetProvider {

    /** The name {@code -Dnndl.backend} uses for this backend. */
    String name();

    /** Whether the backend can start here, with the reason when it cannot. */
    Availability availability();

    /** Starts the backend. Throws {@link IllegalStateException} with the reason when it is not available. */
    KernelSet create();

    /**
     * Starts the backend with {@code threads} threads of its own, where it has such threads (the
     * cpu backend); a backend without them starts as {@link #create()} does. Tasks that share a JVM
     * (Spark's local mode) each take their own number this way, where one system property could
     * not differ between them.
     */
    default KernelSet create(int threads) {
        return create();
    }

    /**
     * The devices this backend could run on here, each with the option that picks it (for
     * {@code nndl backends}); empty where the backend has no choice of device or cannot start.
     */
    default java.util.List<String> devices() {
        return java.util.List.of();
    }
}
