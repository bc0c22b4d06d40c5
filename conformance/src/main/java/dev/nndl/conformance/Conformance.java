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

    /**
     * How many random cases per check, after the edge cases ({@code -Dnndl.conformance.tries=N}),
     * and the seed of their draws ({@code -Dnndl.conformance.seed=S}; by default one derived from
     * each operation's name, so that every run draws the same cases).
     */
    public record Settings(int tries, Long seed) {
        public static final int DEFAULT_TRIES = 60;
        /** About an hour on the reference: more is a typo. */
        public static final int MAX_TRIES = 100_000;

        public Settings {
            if (tries < 0 || tries > MAX_TRIES) {
                throw new IllegalArgumentException("tries " + tries + ": use 0 (the edge cases alone) to " + MAX_TRIES + " random cases per operation");
            }
        }

        public Settings(int tries) {
            this(tries, null);
        }

        public static Settings fromSystemProperties() {
            String seed = System.getProperty("nndl.conformance.seed");
            return new Settings(Integer.getInteger("nndl.conformance.tries", DEFAULT_TRIES), seed == null || seed.isBlank() ? null : Long.parseLong(seed.strip()));
        }

        Random random(OpCheck<?> check) {
            long mixed = check.name().hashCode() * 0x9E3779B97F4A7C15L;
            return new Random(seed == null ? mixed : seed * 0x9E3779B97F4A7C15L + check.name().hashCode());
        }
    }

    /** What the contract concluded about one operation. */
    public enum Verdict {
        /** Every case agreed with the reference. */
        PASS("pass"),
        /** A case disagreed, threw, or the run proved nothing. */
        FAIL("FAIL"),
        /** The operation is the reference's own code, handed on (see {@link Delegation}): not tested, not passed. */
        DELEGATED("delegated"),
        /** The backend declined the operation by throwing {@link UnsupportedOperationException}; the reason is the exception's. */
        SKIPPED("skipped");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
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
     * @param firstFailure the first failing case, shrunk, with where and by how much it failed, or why the
     *                     operation was delegated or skipped; empty when passing
     * @param rerun        the {@code nndl conform} options that run the failing case alone, e.g.
     *                     {@code --ops conv2d:forward --case n=1,... --seed 7}; empty when there is none
     * @param seconds      the time the operation took to check
     */
    public record OpResult(String op, String direction, Verdict verdict, int cases, int passed, int failed, double maxAbsError,
                           double maxRelError, double worstRatio, String tolerance, String firstFailure, String rerun, double seconds) {

        public boolean failedAny() {
            return verdict == Verdict.FAIL;
        }

        /**
         * The line that reruns the failing case alone, e.g. {@code rerun it alone: nndl conform --backend cpu --ops ...},
         * with {@code command} for {@code nndl} and {@code which} naming the kernel set; empty when no case failed (a
         * degenerate run names none).
         */
        public String rerunLine(String command, String which) {
            return rerun.isEmpty() ? "" : "rerun it alone: " + command + " conform " + which + " " + rerun;
        }

        /** The verdict as the console and the CSV show it: {@code pass}, {@code FAIL}, {@code delegated} or {@code skipped: REASON}. */
        public String label() {
            return verdict == Verdict.SKIPPED ? "skipped: " + firstFailure : verdict.label();
        }

        static OpResult notRun(OpCheck<?> check, Verdict verdict, String why) {
            return new OpResult(check.op(), check.direction(), verdict, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, check.tolerance(), why, "", 0);
        }
    }

    /** The verdicts for one kernel set, or why it was skipped. */
    public record Report(String backend, String device, int threads, String skipped, List<OpResult> results) {
        /** Whether it ran and no operation failed (delegated and skipped operations are not failures, nor passes). */
        public boolean passed() {
            return skipped == null && results.stream().noneMatch(OpResult::failedAny);
        }

        public long count(Verdict verdict) {
            return results.stream().filter(r -> r.verdict() == verdict).count();
        }

        public static Report skipped(String backend, String reason) {
            return new Report(backend, "", 0, reason, List.of());
        }
    }

    /** Runs every check against {@code subject}; {@code progress} hears each result as it comes. */
    public static Report run(KernelSet subject, Settings settings, Consumer<OpResult> progress) {
        return run(Checks.all(), subject, settings, progress);
    }

    /** Runs {@code checks} against {@code subject}; {@code progress} hears each result as it comes. */
    public static Report run(List<OpCheck<?>> checks, KernelSet subject, Settings settings, Consumer<OpResult> progress) {
        List<OpResult> results = new ArrayList<>();
        for (OpCheck<?> check : checks) {
            OpResult result = run(check, subject, settings);
            results.add(result);
            progress.accept(result);
        }
        return new Report(subject.name(), subject.device(), subject.threads(), null, results);
    }

    /** Runs one check against {@code subject}: its edge cases, then {@code settings.tries()} random ones. */
    public static <S> OpResult run(OpCheck<S> check, KernelSet subject, Settings settings) {
        Gen<Case<S>> gen = check.cases();
        List<Case<S>> cases = new ArrayList<>(gen.edges());
        Random random = settings.random(check);
        for (int i = 0; i < settings.tries(); i++) cases.add(gen.draw(random));
        return run(check, subject, cases);
    }

    /** Runs one check against {@code subject} on one given case, in each of its data modes, lengths probed first. */
    public static <S> OpResult run(OpCheck<S> check, KernelSet subject, Case<S> c) {
        return run(check, subject, List.of(c));
    }

    /** The class of {@code check}'s shapes, which {@link CaseName#parse} reads a case of. */
    @SuppressWarnings("unchecked")
    public static <S> Class<S> shapeType(OpCheck<S> check) {
        return (Class<S>) check.cases().edges().getFirst().shape().getClass();
    }

    private static <S> OpResult run(OpCheck<S> check, KernelSet subject, List<Case<S>> cases) {
        if (Delegation.toReference(check, subject)) {
            return OpResult.notRun(check, Verdict.DELEGATED, "served by the reference's " + Delegation.family(Delegation.method(check)).getName()
                    + " family: replace it to test it");
        }
        long start = System.nanoTime();
        KernelSet reference = new ReferenceKernels();
        List<Data.Mode> modes = check.integerExact() ? List.of(Data.Mode.FLOAT, Data.Mode.INTEGER) : List.of(Data.Mode.FLOAT);

        int run = 0, failed = 0;
        double maxAbs = 0, maxRel = 0, worst = 0, nonZero = 0, wanted = 0;
        String firstFailure = "", rerun = "";
        for (Case<S> c : cases) {
            for (Data.Mode mode : modes) {
                List<Comparison> comparisons;
                try {
                    comparisons = trial(check, reference, subject, c, mode, c == cases.getFirst() && mode == Data.Mode.FLOAT);
                } catch (Unsupported e) {
                    if (run == 0) return OpResult.notRun(check, Verdict.SKIPPED, e.getMessage());
                    comparisons = List.of(Comparison.failure(check.name() + " " + c.shape(), "threw " + e.getCause() + " after passing earlier cases"));
                }
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
                    if (firstFailure.isEmpty()) {
                        Property.Shrunk<Case<S>, String> shrunk = shrink(check, reference, subject, c, mode, failure);
                        firstFailure = shrunk.failure() + (shrunk.steps() == 0 ? "" : " [shrunk from " + c.shape() + "]")
                                + " (data seed " + shrunk.value().seed() + ")";
                        rerun = rerun(check, shrunk.value());
                    }
                }
            }
        }
        if (nonZero < wanted && firstFailure.isEmpty()) {
            failed++;
            firstFailure = String.format("%s: degenerate run: only %.0f of the %.0f nonzero reference outputs the trust check wants over all cases; "
                    + "the generator produces too many zeros to prove anything", check.name(), nonZero, wanted);
        }
        return new OpResult(check.op(), check.direction(), failed == 0 && run > 0 ? Verdict.PASS : Verdict.FAIL, run, run - failed, failed,
                maxAbs, maxRel, worst, check.tolerance(), firstFailure, rerun, (System.nanoTime() - start) / 1e9);
    }

    /** The {@code nndl conform} options that run one case of one check alone. */
    static String rerun(OpCheck<?> check, Case<?> c) {
        return "--ops " + check.op() + ":" + check.direction() + " --case " + CaseName.format((Record) c.shape()) + " --seed " + c.seed();
    }

    /**
     * The check a benchmark makes before it times anything: one case of {@code check} on
     * {@code shape}, in float data, with the contract's comparison and tolerance; the failure, or
     * empty when the subject agrees with the reference.
     */
    public static <S> java.util.Optional<String> verify(OpCheck<S> check, KernelSet subject, S shape, long seed) {
        try {
            return java.util.Optional.ofNullable(failure(trial(check, new ReferenceKernels(), subject, new Case<>(shape, seed), Data.Mode.FLOAT, false)));
        } catch (Unsupported e) {
            return java.util.Optional.of(check.name() + " is not supported: " + e.getMessage());
        }
    }

    /** One case; with {@code probeLengths} (each check's first case) the subject is also handed outputs of a wrong length. */
    private static <S> List<Comparison> trial(OpCheck<S> check, KernelSet reference, KernelSet subject, Case<S> c, Data.Mode mode,
                                              boolean probeLengths) {
        String label = check.name() + " " + c.shape() + (mode == Data.Mode.INTEGER ? " [integer data]" : "");
        Trial trial = new Trial(reference, subject, new Data(c.seed(), mode), label, probeLengths);
        try {
            check.body().run(trial, c.shape());
        } catch (UnsupportedOperationException e) {
            throw new Unsupported(e);
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

    /** Simplifies a failing case as far as it keeps failing. */
    private static <S> Property.Shrunk<Case<S>, String> shrink(OpCheck<S> check, KernelSet reference, KernelSet subject, Case<S> failing,
                                                              Data.Mode mode, String failure) {
        return Property.shrink(check.cases(), failing, failure, candidate -> {
            try {
                return failure(trial(check, reference, subject, candidate, mode, false));
            } catch (Unsupported e) {
                return "threw " + e.getCause();
            }
        }, 50);
    }

    /** A backend's {@link UnsupportedOperationException}: the operation is skipped, if it said so on the first case. */
    private static final class Unsupported extends RuntimeException {
        Unsupported(UnsupportedOperationException cause) {
            super(cause.getMessage() == null ? "the backend does not support it (" + cause + ")" : cause.getMessage(), cause);
        }
    }
}
