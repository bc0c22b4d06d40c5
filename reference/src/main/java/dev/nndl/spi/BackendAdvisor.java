package dev.nndl.spi;

import java.util.Set;

/**
 * Evidence for {@code auto}: which backend to start on this machine, and why. Advisors are found
 * through {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/dev.nndl.spi.BackendAdvisor}); the command line's reads the latest
 * benchmark CSV. With no advisor, or none with advice, {@code auto} takes the first available
 * backend of {@link Backends#AUTO_ORDER}.
 */
public interface BackendAdvisor {

    /**
     * Advice, given the names of the backends that may start here; {@code auto} checks the one
     * advised, and asks again without it when it cannot start.
     */
    Advice advise(Set<String> available);

    /**
     * A backend to start and why; or, with {@code backend} null, why this advisor has no advice
     * (no results, results from another machine), which {@code auto} reports with its fallback.
     */
    record Advice(String backend, String reason) {
        public static Advice none(String why) {
            return new Advice(null, why);
        }
    }
}
