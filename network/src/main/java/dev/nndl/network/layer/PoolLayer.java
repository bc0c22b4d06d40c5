package dev.nndl.network.layer;

import dev.nndl.shape.PoolShape;
import dev.nndl.spi.KernelSet;
import java.util.List;

/**
 * Pooling with no parameters: max (AlexNet's overlapping 3x3 stride-2 windows) or average
 * (LeNet-5's S layers as the seed's table gives them: subsampling, 0 parameters).
 */
public final class PoolLayer implements Layer {

    /** What a window computes. */
    public enum Kind { MAX, AVERAGE }

    private final KernelSet k;
    private final PoolShape pool;
    private final Kind kind;
    private final float[] out, dIn;
    private float[] in;

    public PoolLayer(KernelSet kernels, PoolShape pool, Kind kind) {
        this.k = kernels;
        this.pool = pool;
        this.kind = kind;
        out = new float[pool.outputSize()];
        dIn = new float[pool.inputSize()];
    }

    @Override
    public float[] forward(float[] input, long step) {
        in = input;
        if (kind == Kind.MAX) k.maxPool2dForward(out, in, pool);
        else k.avgPool2dForward(out, in, pool);
        return out;
    }

    @Override
    public float[] backward(float[] dOut, boolean needInput) {
        if (!needInput) return null;
        if (kind == Kind.MAX) k.maxPool2dBackward(dIn, dOut, in, pool);
        else k.avgPool2dBackward(dIn, dOut, pool);
        return dIn;
    }

    @Override
    public long macs() {
        return 0;
    }

    @Override
    public Layer part(int batch) {
        return new PoolLayer(k, pool.withBatch(batch), kind);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }
}
