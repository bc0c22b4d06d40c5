package dev.nndl.network.layer;

import dev.nndl.shape.LrnShape;
import dev.nndl.spi.KernelSet;
import java.util.List;

/** Local response normalisation across channels (AlexNet's after conv1 and conv2), no parameters. */
public final class LrnLayer implements Layer {

    private final KernelSet k;
    private final LrnShape lrn;
    private final float[] out, dIn;
    private float[] in;

    public LrnLayer(KernelSet kernels, LrnShape lrn) {
        this.k = kernels;
        this.lrn = lrn;
        out = new float[lrn.tensor().size()];
        dIn = new float[lrn.tensor().size()];
    }

    @Override
    public float[] forward(float[] input, long step) {
        in = input;
        k.lrnForward(out, in, lrn);
        return out;
    }

    @Override
    public float[] backward(float[] dOut, boolean needInput) {
        if (!needInput) return null;
        k.lrnBackward(dIn, dOut, in, lrn);
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
