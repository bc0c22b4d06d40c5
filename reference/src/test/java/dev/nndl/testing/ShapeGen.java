package dev.nndl.testing;

import static dev.nndl.testing.Gen.between;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.TensorShape;

/**
 * Generators of small shapes with their data seeds, aimed at the edges: sizes of 1, strides
 * above 1, padding up to and beyond kernel - 1, dilation, groups, kernels as large as the padded
 * input. Small enough that the reference and finite differences stay fast.
 */
public final class ShapeGen {

    private ShapeGen() {}

    private static Gen<Integer> seed() {
        return between(0, 1 << 30);
    }

    public static Gen<Case<ConvShape>> conv() {
        return Gen.vector(v -> new Case<>(new ConvShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]), v[14]),
                between(1, 3), between(1, 4, 2), between(1, 9, 3, 5), between(1, 9, 3, 5), between(1, 4, 2),
                between(1, 4, 3), between(1, 4, 3), between(1, 3, 2), between(1, 3, 2),
                between(0, 3, 1, 2), between(0, 3, 1, 2), between(1, 2), between(1, 2), between(1, 2), seed());
    }

    public static Gen<Case<ConvTransposeShape>> convTranspose() {
        return Gen.vector(v -> new Case<>(new ConvTransposeShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10],
                        v[11], v[12], v[13], v[14], v[15]), v[16]),
                between(1, 3), between(1, 4, 2), between(1, 6, 2), between(1, 6, 2), between(1, 4, 2),
                between(1, 4, 3), between(1, 4, 3), between(1, 3, 2), between(1, 3, 2),
                between(0, 3, 1), between(0, 3, 1), between(1, 2), between(1, 2), between(0, 2, 1), between(0, 2, 1),
                between(1, 2), seed());
    }

    public static Gen<Case<PoolShape>> pool() {
        return Gen.vector(v -> new Case<>(new PoolShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]), v[10]),
                between(1, 2), between(1, 3), between(1, 9, 2, 5), between(1, 9, 2, 5),
                between(1, 4, 2, 3), between(1, 4, 2, 3), between(1, 3, 2), between(1, 3, 2), between(0, 2, 1), between(0, 2, 1), seed());
    }

    public static Gen<Case<FcShape>> fc() {
        return Gen.vector(v -> new Case<>(new FcShape(v[0], v[1], v[2]), v[3]),
                between(1, 5, 2), between(1, 24, 3, 13, 17), between(1, 12, 3, 10), seed());
    }

    /** Batches of feature vectors, for softmax and the costs. */
    public static Gen<Case<TensorShape>> rows() {
        return Gen.vector(v -> new Case<>(TensorShape.of(v[0], v[1]), v[2]), between(1, 5, 2), between(1, 12, 2, 10), seed());
    }

    /** NCHW tensors, for bias. */
    public static Gen<Case<TensorShape>> tensor() {
        return Gen.vector(v -> new Case<>(new TensorShape(v[0], v[1], v[2], v[3]), v[4]),
                between(1, 3), between(1, 5), between(1, 5), between(1, 5), seed());
    }

    private static final float[] LRN_ALPHAS = {1e-4f, 0.05f, 0.5f};
    private static final float[] LRN_BETAS = {0.75f, 0.5f, 1.5f};
    private static final float[] LRN_KS = {2f, 1f, 0.5f};

    /**
     * LRN shapes with AlexNet's constants first, then larger alphas: with alpha = 1e-4 the
     * cross-channel term is too small for a check to see a mistake in it.
     */
    public static Gen<Case<LrnShape>> lrn() {
        return Gen.vector(v -> new Case<>(new LrnShape(v[0], v[1], v[2], v[3], 2 * v[4] + 1, LRN_ALPHAS[v[5]], LRN_BETAS[v[6]], LRN_KS[v[7]]), v[8]),
                between(1, 2), between(1, 9, 2, 5), between(1, 3), between(1, 3), between(0, 3, 2),
                between(0, 2), between(0, 2), between(0, 2), seed());
    }
    /** Recurrent layers of {@code cell}: up to 5 steps, batches of 1-3, small inputs and hidden sizes. */
    public static Gen<Case<RecurrentShape>> recurrent(RecurrentShape.Cell cell) {
        return Gen.vector(v -> new Case<>(new RecurrentShape(cell, v[0], v[1], v[2], v[3]), v[4]),
                between(1, 5, 2), between(1, 3, 2), between(1, 5, 3), between(1, 5, 3), seed());
    }

    /** Concatenations of 1 to 4 parts of up to 3 channels each. */
    public static Gen<Case<ConcatShape>> concat() {
        return Gen.vector(v -> {
                    int[] channels = new int[v[4]];
                    for (int p = 0; p < channels.length; p++) channels[p] = 1 + (v[5] >> (2 * p)) % 3;
                    return new Case<>(ConcatShape.of(v[0], v[1], v[2], channels), v[3]);
                },
                between(1, 3, 2), between(1, 4, 3), between(1, 4, 3), seed(), between(1, 4, 2), between(0, 255));
    }
}
