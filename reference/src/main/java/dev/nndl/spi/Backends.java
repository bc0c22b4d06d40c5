package dev.nndl.spi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
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
 * with its reason, and the choice is logged at INFO with why: a {@link BackendAdvisor}'s
 * recommendation (the command line's reads the latest benchmark CSV), else the first available
 * backend of {@link #AUTO_ORDER}.
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

    /** A started backend and why it was chosen, in a sentence for the user. */
    public record Selection(KernelSet kernels, String reason) {}

    /** Starts the backend the user asked for (see {@link #requested()}). */
    public static KernelSet fromConfiguration() {
        return start(requested());
    }

    /**
     * Why a backend this project ships has no provider here: its module's jar is not on the class
     * path. For {@code tornado} that is how a build without a TornadoVM SDK leaves it.
     */
    public static final Map<String, String> NOT_BUILT = Map.of(
            "cpu", "its module kernels-cpu is not on the class path",
            "aparapi", "its module kernels-aparapi is not on the class path",
            "tornado", "kernels-tornado was not built: it needs a TornadoVM SDK (install TornadoVM for JDK 25, set TORNADOVM_HOME to it "
                    + "so that $TORNADOVM_HOME/tornado-argfile exists, and rebuild; docs/backends.md, section TornadoVM)");

    /** Whether the backend {@code name} can start here, and why not: its provider's answer, or why there is no provider. */
    public static Availability availability(String name) {
        KernelSetProvider provider = providers().get(name);
        if (provider != null) return provider.availability();
        return Availability.no(NOT_BUILT.getOrDefault(name, "no backend '" + name + "' on the class path"));
    }

    /** Starts the named backend, or under {@code auto} the one {@link #select} picks. */
    public static KernelSet start(String name) {
        return select(name).kernels();
    }

    /**
     * Starts the named backend, or under {@code auto} the one a {@link BackendAdvisor} recommends
     * (the benchmark winner), else the first available one in {@link #AUTO_ORDER}; says why.
     * Throws {@link IllegalArgumentException} for an unknown name and
     * {@link IllegalStateException} when the named backend cannot start here.
     */
    public static Selection select(String name) {
        return select(name, DEFAULT_THREADS);
    }

    /** A backend's own default number of threads (for cpu, {@code -Dnndl.cpu.threads} or all cores). */
    public static final int DEFAULT_THREADS = 0;

    /**
     * As {@link #select(String)}, the backend started with {@code threads} threads of its own where
     * it has them ({@link KernelSetProvider#create(int)}), or {@link #DEFAULT_THREADS}.
     */
    public static Selection select(String name, int threads) {
        Map<String, KernelSetProvider> providers = providers();
        if (name.equals("auto")) {
            return selectAuto(providers, threads);
        }
        KernelSetProvider provider = providers.get(name);
        if (provider == null && NOT_BUILT.containsKey(name)) {
            throw new IllegalStateException("backend '" + name + "' cannot start: " + NOT_BUILT.get(name));
        }
        if (provider == null) {
            throw new IllegalArgumentException("unknown backend '" + name + "'; on this class path: "
                    + String.join(", ", providers.keySet()) + ", or auto. A backend comes from its module's jar "
                    + "(kernels-cpu, kernels-aparapi, kernels-tornado) on the class path.");
        }
        Availability availability = provider.availability();
        if (!availability.available()) {
            throw new IllegalStateException("backend '" + name + "' cannot start: " + availability.reason());
        }
        KernelSet kernels = create(provider, threads);
        LOG.log(Level.INFO, "backend {0} on {1} (asked for by name)", kernels.name(), kernels.device());
        return new Selection(kernels, "asked for by name");
    }

    /**
     * Probes lazily: a backend is started only when it is the advice or the first left in the
     * order, so one that auto will not use never runs (Aparapi's OpenCL probe prints warnings of
     * its own). A backend that cannot start is logged with its reason and the advisors asked again
     * without it.
     */
    static Selection selectAuto(Map<String, KernelSetProvider> providers) {
        return selectAuto(providers, DEFAULT_THREADS);
    }

    private static Selection selectAuto(Map<String, KernelSetProvider> providers, int threads) {
        Map<String, KernelSetProvider> candidates = new LinkedHashMap<>();
        for (String name : AUTO_ORDER) {
            if (providers.containsKey(name)) candidates.put(name, providers.get(name));
            else LOG.log(Level.DEBUG, "auto: no {0} backend on the class path", name);
        }
        List<String> noAdvice = new ArrayList<>();
        for (BackendAdvisor advisor : ServiceLoader.load(BackendAdvisor.class)) {
            while (true) {
                BackendAdvisor.Advice advice = advisor.advise(java.util.Collections.unmodifiableSet(candidates.keySet()));
                if (advice.backend() == null || !candidates.containsKey(advice.backend())) {
                    noAdvice.add(advice.reason());
                    break;
                }
                if (startable(advice.backend(), candidates)) return chosen(candidates.get(advice.backend()), advice.reason(), threads);
            }
        }
        for (String name : List.copyOf(candidates.keySet())) {
            if (startable(name, candidates)) {
                return chosen(candidates.get(name), "the first available in the order " + String.join(", ", AUTO_ORDER)
                        + (noAdvice.isEmpty() ? " (no benchmark results consulted)" : " (" + String.join("; ", noAdvice) + ")"), threads);
            }
        }
        throw new IllegalStateException("auto: no backend available; tried " + String.join(", ", AUTO_ORDER)
                + ". The reference backend should always be there: is nndl-reference on the class path?");
    }

    /** Whether candidate {@code name} can start here; if not, logs why and drops it from {@code candidates}. */
    private static boolean startable(String name, Map<String, KernelSetProvider> candidates) {
        Availability availability = candidates.get(name).availability();
        if (availability.available()) return true;
        LOG.log(Level.WARNING, "auto: skipping {0}: {1}", name, availability.reason());
        candidates.remove(name);
        return false;
    }

    private static Selection chosen(KernelSetProvider provider, String reason, int threads) {
        KernelSet kernels = create(provider, threads);
        LOG.log(Level.INFO, "auto: chose backend {0} on {1}: {2}", kernels.name(), kernels.device(), reason);
        return new Selection(kernels, reason);
    }

    private static KernelSet create(KernelSetProvider provider, int threads) {
        if (threads < 0) throw new IllegalArgumentException(threads + " threads: use 1 or more, or " + DEFAULT_THREADS + " for the backend's default");
        return threads == DEFAULT_THREADS ? provider.create() : provider.create(threads);
    }
}
