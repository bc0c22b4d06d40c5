package dev.nndl.network.layer;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.Layer.Inception;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.KernelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * GoogLeNet's inception module (Szegedy et al. 2014, figure 2b) as a layer: four branches over
 * one input, each a short stack of layers, their outputs concatenated on channels.
 * <pre>
 *   1x1 conv                      (n1x1)
 *   1x1 conv -> 3x3 conv, pad 1   (n3x3reduce -> n3x3)
 *   1x1 conv -> 5x5 conv, pad 2   (n5x5reduce -> n5x5)
 *   3x3 max pool, stride 1, pad 1 -> 1x1 conv   (poolProj)
 * </pre>
 * every convolution followed by a ReLU. Backward, the concatenation's gradient is split back into
 * the branches, and the four gradients that reach the shared input add up ({@code addForward}).
 */
public final class InceptionLayer implements Layer {

    private final KernelSet k;
    private final List<List<Layer>> branches;
    private final ConcatShape concat;
    private final float[] out, dIn;
    private final float[][] branchOut, dBranch;
    private final Activation activation;

    /** The module {@code spec} over inputs of {@code in}, weights drawn from {@code random}. */
    public InceptionLayer(KernelSet kernels, TensorShape in, Inception spec, Random random) {
        this(kernels, in, spec, Activation.RELU, PoolLayer.Kind.MAX, random);
    }

    /**
     * The module with {@code activation} after every convolution and {@code pool} pooling in the
     * fourth branch: GoogLeNet's are ReLU and max; smooth stand-ins let a test take finite
     * differences through the module.
     */
    public InceptionLayer(KernelSet kernels, TensorShape in, Inception spec, Activation activation, PoolLayer.Kind pool, Random random) {
        this.k = kernels;
        this.activation = activation;
        int n = in.n(), c = in.c(), h = in.h(), w = in.w();
        this.branches = List.of(
                List.of(conv(n, c, h, w, spec.n1x1(), 1, random)),
                List.of(conv(n, c, h, w, spec.n3x3reduce(), 1, random), conv(n, spec.n3x3reduce(), h, w, spec.n3x3(), 3, random)),
                List.of(conv(n, c, h, w, spec.n5x5reduce(), 1, random), conv(n, spec.n5x5reduce(), h, w, spec.n5x5(), 5, random)),
                // built padded at once: an unpadded 3x3 window, PoolShape.of's, does not fit maps of 1 or 2, which small inputs reach
                List.of(new PoolLayer(kernels, new PoolShape(n, c, h, w, 3, 3, 1, 1, 1, 1), pool),
                        conv(n, c, h, w, spec.poolProj(), 1, random)));
        this.concat = ConcatShape.of(n, h, w, spec.n1x1(), spec.n3x3(), spec.n5x5(), spec.poolProj());
        this.out = new float[concat.outputSize()];
        this.dIn = new float[in.size()];
        this.branchOut = new float[branches.size()][];
        this.dBranch = new float[branches.size()][];
        for (int b = 0; b < branches.size(); b++) dBranch[b] = new float[concat.part(b).size()];
    }

    /** A convolution of {@code k x k} that keeps the input's size (half padding), then the activation. */
    private ConvLayer conv(int n, int c, int h, int w, int filters, int kernel, Random random) {
        return new ConvLayer(k, ConvShape.of(n, c, h, w, filters, kernel, 1, kernel / 2), activation, random);
    }

    @Override
    public float[] forward(float[] in, long step) {
        for (int b = 0; b < branches.size(); b++) {
            float[] a = in;
            for (Layer layer : branches.get(b)) a = layer.forward(a, step);
            branchOut[b] = a;
        }
        k.concatForward(out, branchOut, concat);
        return out;
    }

    @Override
    public float[] backward(float[] dOut, boolean needInput) {
        k.concatBackward(dBranch, dOut, concat);
        for (int b = 0; b < branches.size(); b++) {
            List<Layer> branch = branches.get(b);
            float[] d = dBranch[b];
            for (int i = branch.size() - 1; i >= 0; i--) d = branch.get(i).backward(d, i > 0 || needInput);
            if (!needInput) continue;
            if (b == 0) k.setZero(dIn);
            k.addForward(dIn, dIn, d);
        }
        return needInput ? dIn : null;
    }

    @Override
    public long macs() {
        return branches.stream().flatMap(List::stream).mapToLong(Layer::macs).sum();
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (List<Layer> branch : branches) for (Layer layer : branch) all.addAll(layer.parameters());
        return all;
    }
}
