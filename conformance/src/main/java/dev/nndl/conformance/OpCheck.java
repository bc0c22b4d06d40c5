package dev.nndl.conformance;

import dev.nndl.testing.Case;
import dev.nndl.testing.Gen;
import java.util.function.ToDoubleFunction;

/**
 * One operation and direction of the contract.
 *
 * @param op           the operation, e.g. {@code conv2d}
 * @param direction    {@code forward}, {@code backward-input}, {@code backward-weights}, ...
 * @param tolerance    the tolerance rule, in words, for reports
 * @param cases        the shapes (and data seeds) to try
 * @param arithmetic   whether the operation is exact on small integers, so that every case is also run in
 *                     integer mode with zero tolerance
 * @param trust        the smallest fraction of nonzero reference outputs that makes a case worth comparing
 * @param body         draws the inputs, runs the operation on both kernel sets, and compares the outputs
 */
public record OpCheck<S>(String op, String direction, String tolerance, Gen<Case<S>> cases, Arithmetic arithmetic,
                         ToDoubleFunction<S> trust, Body<S> body) {

    /** Whether small integer inputs make the operation exact, so that the contract also demands equality on them. */
    public enum Arithmetic { ROUNDED, EXACT_ON_INTEGERS }

    /** Whether every case also runs in integer mode with zero tolerance. */
    public boolean integerExact() {
        return arithmetic == Arithmetic.EXACT_ON_INTEGERS;
    }

    /** The work of one case. */
    @FunctionalInterface
    public interface Body<S> {
        void run(Trial trial, S shape);
    }

    /** {@code op direction}, as reports name it. */
    public String name() {
        return op + " " + direction;
    }
}
