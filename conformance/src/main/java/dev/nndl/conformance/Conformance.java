package dev.nndl.conformance;

import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.KernelSet;
import dev.nndl.testing.Case;
import dev.nndl.testing.Gen;
import dev.nndl.testing.Property;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Runs the contract: every {@link OpCheck} against a kernel set, comparing it with
 * {@link ReferenceKernels} on each check's edge cases and then on random ones, and reports a
 * verdict per operation. {@link KernelContract} (JUnit) and {@code nndl conform} (CSV) are both
 * built on it.
 */
public final class Conformance {

    private Conformance() {}

    /**
     * Outputs with fewer elements than this are not judged one case at a time by the trust
     * check (a 1-element output is zero by chance now and then); they count toward the check over
     * the whole run instead.
     */
    static final int TRUSTED_SIZE = 32;

    /** How many random cases per check, after the edge cases; {@code -Dnndl.conformance.tries=N}. */
    public record Settings(int tries) {
        public static final int DEFAULT_TRIES = 60;

        public static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("nndl.conformance.tries", DEFAULT_TRIES));
        }
    }

    /**
     * The verdict for one operation and direction.
     *
     * @param cases        cases run (edge and random, in every data mode)
     * @param maxAbsError  largest {@code |got - ref|} over all cases
     * @param maxRelError  largest relative error over nonzero references
     * @param worstRatio   largest error divided by its tolerance (at most 1 when passing)
     * @param tolerance    the tolerance rule
     * @param firstFailure the first failing case, shrunk, with where and by how much it failed; empty when passing
     */
    public record OpResult(String op, String direction, int cases, int passed, int failed, double maxAbsError,
                           double maxRelError, double worstRatio, String tolerance, String firstFailure) {
        public boolean passedAll() {
            return failed == 0 && cases > 0;
        }

        public String verdict() {
            return passedAll() ? "pass" : "FAIL";
        }
    }

    /** The verdicts for one kernel set, or why it was skipped. */
    public record Report(String backend, String device, int threads, String skipped, List<OpResult> results) {
        public boolean passed() {
            return skipped == null && results.stream().allMatch(OpResult::passedAll);
        }

        public static Report skipped(String backend, String reason) {
            return new Report(backend, "", 0, reason, List.of());
        }
    }

    /** Runs every check against {@code subject}; {@code progress} hears each result as it comes. */
    public static Report run(KernelSet subject, Settings settings, Consumer<OpResult> progress) {
        List<OpResult> results = new ArrayList<>();
        for (OpCheck<?> check : Checks.all()) {
            OpResult result = run(check, subject, settings);
            results.add(result);
            progress.accept(result);
        }
        return new Report(subject.name(), subject.device(), subject.threads(), null, results);
    }

    /** Runs one check against {@code subject}. */
    public static <S> OpResult run(OpCheck<S> check, KernelSet subject, Settings settings) {
        KernelSet reference = new ReferenceKernels();
        Gen<Case<S>> gen = check.cases();
        List<Case<S>> cases = new ArrayList<>(gen.edges());
        Random random = new Random(check.name().hashCode() * 0x9E3779B97F4A7C15L);
        for (int i = 0; i < settings.tries(); i++) cases.add(gen.draw(random));
        List<Data.Mode> modes = check.integerExact() ? List.of(Data.Mode.FLOAT, Data.Mode.INTEGER) : List.of(Data.Mode.FLOAT);

        int run = 0, failed = 0;
        double maxAbs = 0, maxRel = 0, worst = 0, nonZero = 0, wanted = 0;
        String firstFailure = "";
        for (Case<S> c : cases) {
            for (Data.Mode mode : modes) {
                List<Comparison> comparisons = trial(check, reference, subject, c, mode, c == cases.getFirst() && mode == Data.Mode.FLOAT);
                run++;
                for (Comparison comparison : comparisons) {
                    nonZero += comparison.nonZero() * comparison.elements();
                    wanted += check.trust().applyAsDouble(c.shape()) * comparison.elements();
                    if (!Double.isNaN(comparison.maxAbsError())) maxAbs = Math.max(maxAbs, comparison.maxAbsError());
                    if (!Double.isNaN(comparison.maxRelError())) maxRel = Math.max(maxRel, comparison.maxRelError());
                    worst = Math.max(worst, comparison.worstRatio());
                }
                String failure = failure(comparisons);
                if (failure != null) {
                    failed++;
                    if (firstFailure.isEmpty()) firstFailure = shrink(check, reference, subject, c, mode, failure);
                }
            }
        }
        if (nonZero < wanted && firstFailure.isEmpty()) {
            failed++;
            firstFailure = String.format("%s: degenerate run: only %.0f of the %.0f nonzero reference outputs the trust check wants over all cases; "
                    + "the generator produces too many zeros to prove anything", check.name(), nonZero, wanted);
        }
        return new OpResult(check.op(), check.direction(), run, run - failed, failed, maxAbs, maxRel, worst, check.tolerance(), firstFailure);
    }

    /**
     * Runs one check on one given case in both of its data modes and returns the failures
     * (empty when it passes): the named regression examples of {@link KernelContract} use it.
     */
    public static <S> List<String> runCase(OpCheck<S> check, KernelSet subject, S shape, long seed) {
        KernelSet reference = new ReferenceKernels();
        List<String> failures = new ArrayList<>();
        for (Data.Mode mode : check.integerExact() ? List.of(Data.Mode.FLOAT, Data.Mode.INTEGER) : List.of(Data.Mode.FLOAT)) {
            String failure = failure(trial(check, reference, subject, new Case<>(shape, seed), mode, false));
            if (failure != null) failures.add(failure);
        }
        return failures;
    }

    /**
     * The check a benchmark makes before it times anything: one case of {@code check} on
     * {@code shape}, in float data, with the contract's comparison and tolerance; the failure, or
     * empty when the subject agrees with the reference.
     */
    public static <S> java.util.Optional<String> verify(OpCheck<S> check, KernelSet subject, S shape, long seed) {
        return java.util.Optional.ofNullable(failure(trial(check, new ReferenceKernels(), subject, new Case<>(shape, seed), Data.Mode.FLOAT, false)));
    }

    /** One case; with {@code probeLengths} (each check's first case) the subject is also handed outputs of a wrong length. */
    private static <S> List<Comparison> trial(OpCheck<S> check, KernelSet reference, KernelSet subject, Case<S> c, Data.Mode mode,
                                              boolean probeLengths) {
        String label = check.name() + " " + c.shape() + (mode == Data.Mode.INTEGER ? " [integer data]" : "");
        Trial trial = new Trial(reference, subject, new Data(c.seed(), mode), label, probeLengths);
        try {
            check.body().run(trial, c.shape());
        } catch (RuntimeException | AssertionError | StackOverflowError e) {
            trial.comparisons().add(Comparison.failure(label, "threw " + e));
            return trial.comparisons();
        }
        double trust = check.trust().applyAsDouble(c.shape());
        for (Comparison comparison : List.copyOf(trial.comparisons())) {
            if (comparison.elements() >= TRUSTED_SIZE && comparison.nonZero() < trust) {
                trial.comparisons().add(Comparison.failure(comparison.what(), String.format(
                        "degenerate case: only %.0f%% of the reference's outputs are nonzero (the trust check wants %.0f%%), "
                                + "so a comparison would prove little; the generator should not produce it",
                        100 * comparison.nonZero(), 100 * trust)));
            }
        }
        return trial.comparisons();
    }

    private static String failure(List<Comparison> comparisons) {
        return comparisons.stream().filter(c -> !c.passed()).map(Comparison::message).findFirst().orElse(null);
    }

    /** Simplifies a failing case as far as it keeps failing, and describes it. */
    private static <S> String shrink(OpCheck<S> check, KernelSet reference, KernelSet subject, Case<S> failing, Data.Mode mode, String failure) {
        Property.Shrunk<Case<S>, String> shrunk = Property.shrink(check.cases(), failing, failure,
                candidate -> failure(trial(check, reference, subject, candidate, mode, false)), 50);
        return shrunk.failure() + (shrunk.steps() == 0 ? "" : " [shrunk from " + failing.shape() + "]") + " (data seed " + shrunk.value().seed() + ")";
    }
}
