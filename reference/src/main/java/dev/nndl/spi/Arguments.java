package dev.nndl.spi;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.TensorShape;

/**
 * The argument checks {@link KernelSet}'s methods run before they call a family, so a wrong call
 * fails the same way on every backend: an {@link IllegalArgumentException} naming the argument,
 * the length expected, where that number comes from, and the length given. (The conformance
 * contract's {@code Checks} are something else: what each operation must compute.)
 */
public final class Arguments {

    private Arguments() {}

    /** Requires {@code array} to be non-null with exactly {@code expected} elements. */
    public static void length(String name, float[] array, int expected, Object shape) {
        if (array == null) {
            throw new IllegalArgumentException(name + " is null; expected a float[" + expected + "] for " + shape);
        }
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " has length " + array.length + "; expected " + expected + " for " + shape);
        }
    }

    /** Requires two element-wise operands to be non-null and of one length; returns it. */
    public static int sameLength(String name, float[] array, String otherName, float[] other) {
        if (other == null) {
            throw new IllegalArgumentException(otherName + " is null");
        }
        if (array == null) {
            throw new IllegalArgumentException(name + " is null; expected a float[" + other.length + "] like " + otherName);
        }
        if (array.length != other.length) {
            throw new IllegalArgumentException(name + " has length " + array.length + "; expected " + other.length
                    + ", the length of " + otherName);
        }
        return array.length;
    }

    /** Requires {@code shape} to be non-null. */
    public static <T> T shape(String name, T shape) {
        if (shape == null) {
            throw new IllegalArgumentException(name + " is null; pass the shape record that describes the arrays");
        }
        return shape;
    }

    /** Requires a finite value in {@code [min, max]} (or {@code [min, max)} when {@code maxExclusive}). */
    public static float inRange(String name, float value, float min, float max, boolean maxExclusive) {
        boolean ok = Float.isFinite(value) && value >= min && (maxExclusive ? value < max : value <= max);
        if (!ok) {
            throw new IllegalArgumentException(name + "=" + value + " must be in [" + min + ", " + max + (maxExclusive ? ")" : "]"));
        }
        return value;
    }

    /** Requires a finite value. */
    public static float finite(String name, float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(name + "=" + value + " must be finite");
        }
        return value;
    }

    // ---------------------------------------------------------------- one check per KernelSet method

    public static void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
        shape("s", s);
        length("out", out, s.outputSize(), s);
        length("in", in, s.inputSize(), s);
        length("w", w, s.weightSize(), s);
    }

    public static void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s) {
        shape("s", s);
        length("dIn", dIn, s.inputSize(), s);
        length("dOut", dOut, s.outputSize(), s);
        length("w", w, s.weightSize(), s);
    }

    public static void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
        shape("s", s);
        length("dW", dW, s.weightSize(), s);
        length("dOut", dOut, s.outputSize(), s);
        length("in", in, s.inputSize(), s);
    }

    /** The arrays of a transposed convolution: one the size of its output, one of its input, and the weights ({@code w} or {@code dW}). */
    public static void convTranspose2d(String outputName, float[] output, String inputName, float[] input,
                                       String weightsName, float[] weights, ConvTransposeShape s) {
        shape("s", s);
        length(outputName, output, s.outputSize(), s);
        length(inputName, input, s.inputSize(), s);
        length(weightsName, weights, s.weightSize(), s);
    }

    public static void pool2dForward(float[] out, float[] in, PoolShape s) {
        shape("s", s);
        length("out", out, s.outputSize(), s);
        length("in", in, s.inputSize(), s);
    }

    public static void pool2dBackward(float[] dIn, float[] dOut, PoolShape s) {
        shape("s", s);
        length("dIn", dIn, s.inputSize(), s);
        length("dOut", dOut, s.outputSize(), s);
    }

    public static void lpPower(float p) {
        if (!(p >= 1) || !Float.isFinite(p)) {
            throw new IllegalArgumentException("p=" + p + " must be finite and at least 1 for L^p pooling");
        }
    }

    public static void fullyConnected(String outName, float[] out, String inName, float[] in, String wName, float[] w, FcShape s) {
        shape("s", s);
        length(outName, out, s.outputSize(), s);
        length(inName, in, s.inputSize(), s);
        length(wName, w, s.weightSize(), s);
    }

    public static void bias(String valuesName, float[] values, String biasName, float[] bias, TensorShape s) {
        shape("s", s);
        length(valuesName, values, s.size(), s);
        length(biasName, bias, s.c(), s + " (one bias per channel)");
    }

    /** Checks {@code arrays} (name, array, name, array, ...) all hold one value per element of {@code s}. */
    public static void tensors(TensorShape s, Object... namesAndArrays) {
        shape("s", s);
        for (int i = 0; i < namesAndArrays.length; i += 2) {
            length((String) namesAndArrays[i], (float[]) namesAndArrays[i + 1], s.size(), s);
        }
    }

    public static void perSample(String name, float[] values, TensorShape s) {
        length(name, values, s.n(), s + " (one value per sample)");
    }

    public static void lrn(float[] a, String aName, float[] b, String bName, LrnShape s) {
        shape("s", s);
        length(aName, a, s.tensor().size(), s);
        length(bName, b, s.tensor().size(), s);
    }
    /** {@code parts}: one array per part of {@code s}, each of its part's size; {@code whole}: the concatenation's size. */
    public static void concat(String wholeName, float[] whole, String partsName, float[][] parts, ConcatShape s) {
        shape("s", s);
        length(wholeName, whole, s.outputSize(), s);
        if (parts == null) throw new IllegalArgumentException(partsName + " is null; expected " + s.parts() + " arrays for " + s);
        if (parts.length != s.parts()) {
            throw new IllegalArgumentException(partsName + " has " + parts.length + " arrays; expected " + s.parts() + ", one per part of " + s);
        }
        for (int p = 0; p < parts.length; p++) length(partsName + "[" + p + "]", parts[p], s.part(p).size(), s + " (part " + p + ")");
    }

    public static void rnnForward(float[] h, float[] x, float[] h0, float[] w, RecurrentShape s) {
        recurrent(s, RecurrentShape.Cell.RNN);
        length("h", h, s.sequenceSize(), s);
        length("x", x, s.inputSize(), s);
        length("h0", h0, s.stateSize(), s);
        length("w", w, s.weightSize(), s);
    }

    public static void rnnBackward(float[] dX, float[] dH0, float[] dW, float[] dH, float[] x, float[] h0, float[] h, float[] w, RecurrentShape s) {
        rnnForward(h, x, h0, w, s);
        length("dX", dX, s.inputSize(), s);
        length("dH0", dH0, s.stateSize(), s);
        length("dW", dW, s.weightSize(), s);
        length("dH", dH, s.sequenceSize(), s);
    }

    public static void lstmForward(float[] h, float[] c, float[] gates, float[] x, float[] h0, float[] c0, float[] w, RecurrentShape s) {
        recurrent(s, RecurrentShape.Cell.LSTM);
        length("h", h, s.sequenceSize(), s);
        length("c", c, s.sequenceSize(), s);
        length("gates", gates, s.gatesSize(), s);
        length("x", x, s.inputSize(), s);
        length("h0", h0, s.stateSize(), s);
        length("c0", c0, s.stateSize(), s);
        length("w", w, s.weightSize(), s);
    }

    public static void lstmBackward(float[] dX, float[] dH0, float[] dC0, float[] dW, float[] dH, float[] x, float[] h0, float[] c0,
                                    float[] h, float[] c, float[] gates, float[] w, RecurrentShape s) {
        lstmForward(h, c, gates, x, h0, c0, w, s);
        length("dX", dX, s.inputSize(), s);
        length("dH0", dH0, s.stateSize(), s);
        length("dC0", dC0, s.stateSize(), s);
        length("dW", dW, s.weightSize(), s);
        length("dH", dH, s.sequenceSize(), s);
    }

    private static void recurrent(RecurrentShape s, RecurrentShape.Cell cell) {
        shape("s", s);
        if (s.cell() != cell) {
            throw new IllegalArgumentException("s is a " + s.cell() + " shape (" + s + "); the " + cell + " operations need RecurrentShape." + cell.name().toLowerCase(java.util.Locale.ROOT) + "(...)");
        }
    }
}
