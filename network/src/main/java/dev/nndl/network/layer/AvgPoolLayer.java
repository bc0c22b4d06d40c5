package dev.nndl.network.layer;

import dev.nndl.shape.PoolShape;
import dev.nndl.spi.KernelSet;
import java.util.List;

/** Average pooling with no parameters: LeNet-5's S layers as the seed's table gives them (subsampling, 0 parameters). */
public final class AvgPoolLayer implements Layer {

    private final KernelSet k;
    private final PoolShape pool;
    private final float[] out, dIn;

    public AvgPoolLayer(KernelSet kernels, PoolShape pool) {
        this.k = kernels;
        this.pool = pool;
        out = new float[pool.outputSize()];
        dIn = new float[pool.inputSize()];
    }

    @Override
    public float[] forward(float[] in, long step) {
        k.avgPool2dForward(out, in, pool);
        return out;
    }

    @Override
    public float[] backward(float[] dOut, boolean needInput) {
        if (!needInput) return null;
        k.avgPool2dBackward(dIn, dOut, pool);
        return dIn;
    }

    @Override
    public long macs() {
        return 0;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }
}
