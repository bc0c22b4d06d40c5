package dev.nndl.testing;

import java.util.List;
import java.util.Random;

/**
 * A small property-based test runner on plain JUnit 5: a property is a {@link Gen} of cases and a
 * check that throws on a counterexample. {@link #check} runs the generator's edge cases first,
 * then random cases, and on the first failure shrinks it greedily and throws an
 * {@link AssertionError} that names the property, the case as drawn and as shrunk, the seed, and
 * how to run it again.
 *
 * <p>Runs are reproducible: the seed is derived from the property's name unless
 * {@code -Dnndl.property.seed=N} gives one ({@code -Dnndl.property.seed=random} draws a fresh one
 * and prints it). {@code -Dnndl.property.tries=N} overrides every property's number of random
 * tries, for a longer hunt on a quiet machine.
 *
 * <p>(The project first planned jqwik for this. Since version 1.10 jqwik's maintainer asks that
 * AI coding agents not use it, and this project's code is written with one, so it has this
 * runner instead.)
 */
public final class Property {

    /** How many shrink steps to take at most: each step re-runs the check. */
    private static final int MAX_SHRINK_STEPS = 200;

    private Property() {}

    /** A check on one case; any {@link Throwable} is a counterexample. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T value) throws Throwable;
    }

    /** Runs {@code check} on every edge case of {@code gen}, then on {@code tries} random cases. */
    public static <T> void check(String name, int tries, Gen<T> gen, Check<T> check) {
        long seed = seed(name);
        int randomTries = Integer.getInteger("nndl.property.tries", tries);
        List<T> edges = gen.edges();
        for (int i = 0; i < edges.size(); i++) {
            Throwable failure = run(check, edges.get(i));
            if (failure != null) throw report(name, "edge case " + (i + 1) + " of " + edges.size(), seed, gen, check, edges.get(i), failure);
        }
        Random random = new Random(seed);
        for (int i = 0; i < randomTries; i++) {
            T value = gen.draw(random);
            Throwable failure = run(check, value);
            if (failure != null) throw report(name, "random try " + (i + 1) + " of " + randomTries, seed, gen, check, value, failure);
        }
    }

    private static long seed(String name) {
        String given = System.getProperty("nndl.property.seed");
        if (given == null || given.isBlank()) return name.hashCode() * 0x9E3779B97F4A7C15L;
        if (given.equals("random")) {
            long s = new Random().nextLong();
            System.out.println("property '" + name + "': seed " + s);
            return s;
        }
        return Long.parseLong(given.trim());
    }

    private static <T> Throwable run(Check<T> check, T value) {
        try {
            check.accept(value);
            return null;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) throw vme;
            return t;
        }
    }

    /** A failing case simplified as far as it keeps failing: the case, its failure, and the steps taken. */
    public record Shrunk<T, F>(T value, F failure, int steps) {}

    /**
     * Greedy shrinking: repeatedly replaces {@code failing} with the first of {@link Gen#shrink}'s
     * candidates that still fails ({@code check} returns its failure, or null when it passes), at
     * most {@code maxSteps} times.
     */
    public static <T, F> Shrunk<T, F> shrink(Gen<T> gen, T failing, F failure, java.util.function.Function<T, F> check, int maxSteps) {
        T smallest = failing;
        F smallestFailure = failure;
        int steps = 0;
        while (steps < maxSteps) {
            T simpler = null;
            F simplerFailure = null;
            for (T candidate : (Iterable<T>) gen.shrink(smallest)::iterator) {
                F f = check.apply(candidate);
                if (f != null) {
                    simpler = candidate;
                    simplerFailure = f;
                    break;
                }
            }
            if (simpler == null) break;
            smallest = simpler;
            smallestFailure = simplerFailure;
            steps++;
        }
        return new Shrunk<>(smallest, smallestFailure, steps);
    }

    private static <T> AssertionError report(String name, String where, long seed, Gen<T> gen, Check<T> check, T original, Throwable failure) {
        Shrunk<T, Throwable> shrunk = shrink(gen, original, failure, value -> run(check, value), MAX_SHRINK_STEPS);
        T smallest = shrunk.value();
        Throwable smallestFailure = shrunk.failure();
        StringBuilder message = new StringBuilder()
                .append("property '").append(name).append("' failed on ").append(where).append('\n')
                .append("  case:     ").append(original).append('\n');
        if (shrunk.steps() > 0) {
            message.append("  shrunk (").append(shrunk.steps()).append(" steps) to: ").append(smallest).append('\n');
        }
        message.append("  failure:  ").append(smallestFailure).append('\n')
                .append("  seed:     ").append(seed).append(" (run again with -Dnndl.property.seed=").append(seed).append(')');
        AssertionError error = new AssertionError(message.toString(), smallestFailure);
        return error;
    }
}
