package dev.nndl.spi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds backends through {@link ServiceLoader} and resolves the one the user asked for with
 * {@code -Dnndl.backend=auto|reference|cpu|aparapi|tornado} (or the environment variable
 * {@code NNDL_BACKEND}; the property wins). Backends outside {@link #AUTO_ORDER}, such as a
 * third-party jar's, are used only when named. No fallback is silent: a backend named explicitly
 * that cannot start fails with its reason; under {@code auto}, each backend passed over is logged
 * with its reason and the choice is logged at INFO.
 */
public final class Backends {

    /** The system property that names the backend. */
    public static final String PROPERTY = "nndl.backend";
    /** The environment variable that names the backend when the property is not set. */
    public static final String ENVIRONMENT = "NNDL_BACKEND";
    /** The order {@code auto} tries backends in when it has no benchmark results to go by. */
    public static final List<String> AUTO_ORDER = List.of("cpu", "aparapi", "tornado", "reference");

    private static final Logger LOG = System.getLogger(Backends.class.getName());

    private Backends() {}

    /** Every provider on the class path, by name, in class-path order. */
    public static Map<String, KernelSetProvider> providers() {
        Map<String, KernelSetProvider> byName = new LinkedHashMap<>();
        for (KernelSetProvider p : ServiceLoader.load(KernelSetProvider.class)) {
            KernelSetProvider clash = byName.putIfAbsent(p.name(), p);
            if (clash != null && clash.getClass() != p.getClass()) {
                throw new IllegalStateException("two backends are both called '" + p.name() + "': "
                        + clash.getClass().getName() + " and " + p.getClass().getName() + "; remove one jar from the class path");
            }
        }
        return byName;
    }

    /** The backend name the user asked for: the property, else the environment variable, else {@code auto}. */
    public static String requested() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) name = System.getenv(ENVIRONMENT);
        return name == null || name.isBlank() ? "auto" : name.trim();
    }

    /** Starts the backend the user asked for (see {@link #requested()}). */
    public static KernelSet fromConfiguration() {
        return start(requested());
    }

    /**
     * Starts the named backend, or under {@code auto} the first available one in
     * {@link #AUTO_ORDER}. Throws {@link IllegalArgumentException} for an unknown name and
     * {@link IllegalStateException} when the named backend cannot start here.
     */
    public static KernelSet start(String name) {
        Map<String, KernelSetProvider> providers = providers();
        if (name.equals("auto")) {
            return startAuto(providers);
        }
        KernelSetProvider provider = providers.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown backend '" + name + "'; on this class path: "
                    + String.join(", ", providers.keySet()) + ", or auto. A backend comes from its module's jar "
                    + "(kernels-cpu, kernels-aparapi, kernels-tornado) on the class path.");
        }
        Availability availability = provider.availability();
        if (!availability.available()) {
            throw new IllegalStateException("backend '" + name + "' cannot start: " + availability.reason());
        }
        KernelSet kernels = provider.create();
        LOG.log(Level.INFO, "backend {0} on {1} (asked for by name)", kernels.name(), kernels.device());
        return kernels;
    }

    private static KernelSet startAuto(Map<String, KernelSetProvider> providers) {
        for (String name : AUTO_ORDER) {
            KernelSetProvider provider = providers.get(name);
            if (provider == null) {
                LOG.log(Level.DEBUG, "auto: no {0} backend on the class path", name);
                continue;
            }
            Availability availability = provider.availability();
            if (!availability.available()) {
                LOG.log(Level.WARNING, "auto: skipping {0}: {1}", name, availability.reason());
                continue;
            }
            KernelSet kernels = provider.create();
            LOG.log(Level.INFO, "auto: chose backend {0} on {1}, the first available in the order {2} (no benchmark results consulted)",
                    kernels.name(), kernels.device(), String.join(", ", AUTO_ORDER));
            return kernels;
        }
        throw new IllegalStateException("auto: no backend available; tried " + String.join(", ", AUTO_ORDER)
                + ". The reference backend should always be there: is nndl-reference on the class path?");
    }
}
