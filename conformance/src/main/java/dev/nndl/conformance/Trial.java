package dev.nndl.conformance;

import dev.nndl.shape.TensorShape;
import dev.nndl.spi.KernelSet;
import dev.nndl.testing.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One case of one operation: runs a call on the reference and on the subject with identical
 * inputs, and collects the comparisons of its outputs. The subject gets every array uploaded
 * before the call and every output downloaded after it, as a device backend needs; its inputs are
 * checked to come back unchanged. A subject that moves arrays to a device ({@code transfers()} is
 * present) first runs the call once on decoy contents in the same arrays, so that a backend that
 * keeps a stale device copy after the host rewrote an array computes with the decoy and fails. A trial that probes lengths first hands the subject each output
 * one element too long: {@code KernelSet}'s promise is an {@link IllegalArgumentException} that
 * names the wrong length, thrown before any array is written.
 */
public final class Trial {

    /** One call of the operation under test, writing into {@code out}. */
    @FunctionalInterface
    public interface Call {
        void on(KernelSet kernels, float[][] out);
    }

    /** Outputs of both runs, in the order they were given. */
    public record Outputs(float[][] ref, float[][] got) {}

    private final KernelSet reference;
    private final KernelSet subject;
    private final Data data;
    private final String label;
    private final boolean probeLengths;
    private final List<Comparison> comparisons = new ArrayList<>();

    Trial(KernelSet reference, KernelSet subject, Data data, String label, boolean probeLengths) {
        this.reference = reference;
        this.subject = subject;
        this.data = data;
        this.label = label;
        this.probeLengths = probeLengths;
    }

    public Data data() {
        return data;
    }

    /** Whether inputs are integers, so that linear operations must match exactly. */
    public boolean integers() {
        return data.mode() == Data.Mode.INTEGER;
    }

    List<Comparison> comparisons() {
        return comparisons;
    }

    /**
     * Runs {@code call} on both kernel sets. {@code initial} gives each output's starting
     * contents (NaN for an output that must be overwritten, values for one that accumulates);
     * {@code inputs} are uploaded with them and must come back unchanged.
     */
    public Outputs run(Call call, float[][] inputs, float[]... initial) {
        return run(call, probeLengths, inputs, initial);
    }

    /** {@link #run} for an operation that takes outputs of any length, so that no length is wrong. */
    public Outputs runAnyLength(Call call, float[][] inputs, float[]... initial) {
        return run(call, false, inputs, initial);
    }

    private Outputs run(Call call, boolean probeLengths, float[][] inputs, float[]... initial) {
        if (probeLengths) {
            for (int i = 0; i < initial.length; i++) probeLength(call, inputs, initial, i);
        }
        float[][] ref = copies(initial), got = copies(initial);
        float[][] before = copies(inputs);
        call.on(reference, ref);
        float[][] all = new float[inputs.length + got.length][];
        System.arraycopy(inputs, 0, all, 0, inputs.length);
        System.arraycopy(got, 0, all, inputs.length, got.length);
        if (subject.transfers().isPresent()) decoy(call, got, all);
        subject.upload(all);
        call.on(subject, got);
        subject.download(all);
        for (int i = 0; i < inputs.length; i++) {
            if (!Arrays.equals(before[i], inputs[i])) {
                comparisons.add(Comparison.failure(label, "input " + (i + 1) + " was modified: an operation must only write its outputs"));
            }
        }
        return new Outputs(ref, got);
    }

    /** Runs {@code call} on the subject with every array of {@code all} filled with a decoy value, then puts their contents back. */
    private void decoy(Call call, float[][] got, float[][] all) {
        float[][] saved = copies(all);
        for (float[] a : all) Arrays.fill(a, DECOY);
        subject.upload(all);
        call.on(subject, got);
        subject.download(all);
        for (int i = 0; i < all.length; i++) System.arraycopy(saved[i], 0, all[i], 0, all[i].length);
    }

    /** What the decoy round fills arrays with: a value no case draws everywhere. */
    private static final float DECOY = 0.375f;

    /** Hands the subject output {@code i} one element too long; it must refuse it, naming a length, and write nothing. */
    private void probeLength(Call call, float[][] inputs, float[][] initial, int i) {
        float[][] outputs = copies(initial), before = copies(inputs);
        outputs[i] = Arrays.copyOf(initial[i], initial[i].length + 1);
        float[][] untouched = copies(outputs);
        String what = "output " + (i + 1) + " of length " + outputs[i].length + " instead of " + initial[i].length;
        try {
            call.on(subject, outputs);
            comparisons.add(Comparison.failure(label, what + " was accepted: a wrong length must end in an IllegalArgumentException that names it"));
            return;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || !e.getMessage().contains("length")) {
                comparisons.add(Comparison.failure(label, what + " was refused without naming a length: " + e.getMessage()));
            }
        } catch (RuntimeException e) {
            comparisons.add(Comparison.failure(label, what + " threw " + e + " instead of an IllegalArgumentException that names it"));
        }
        for (int j = 0; j < outputs.length; j++) {
            if (!Arrays.equals(untouched[j], outputs[j])) comparisons.add(Comparison.failure(label, what + ": output " + (j + 1) + " was written before the refusal"));
        }
        for (int j = 0; j < inputs.length; j++) {
            if (!Arrays.equals(before[j], inputs[j])) comparisons.add(Comparison.failure(label, what + ": input " + (j + 1) + " was written before the refusal"));
        }
    }

    /** Runs {@code call} on the reference alone, e.g. on absolute values to get each output's {@code sum|terms|}. */
    public float[] reference(Call call, int size) {
        float[][] out = {new float[size]};
        call.on(reference, out);
        return out[0];
    }

    /** Runs an operation on the reference alone, writing into arrays of the caller's (to accumulate into them). */
    public void referenceInto(java.util.function.Consumer<KernelSet> call) {
        call.accept(reference);
    }

    /** Compares one output. */
    public void compare(String array, TensorShape layout, float[] got, float[] ref, double[] tolerance) {
        comparisons.add(Comparison.of(label + " " + array, layout, got, ref, tolerance));
    }

    /** The tolerance of a sum of {@code k} terms per output, or exact in integer mode. */
    public double[] sums(double k, float[] magnitudes) {
        return integers() ? Tolerance.exact(magnitudes.length) : Tolerance.sums(k, magnitudes);
    }

    /** Arrays of the inputs, for {@link #run}. */
    public static float[][] inputs(float[]... arrays) {
        return arrays;
    }

    /** A NaN-filled output of {@code size}, which the operation must overwrite completely. */
    public static float[] overwritten(int size) {
        return Tensors.nans(size);
    }

    private static float[][] copies(float[][] arrays) {
        float[][] c = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) c[i] = arrays[i].clone();
        return c;
    }
}
