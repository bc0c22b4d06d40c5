package dev.nndl.bench;

import dev.nndl.network.Network;
import dev.nndl.network.Rung;
import dev.nndl.shape.ConvShape;
import dev.nndl.spi.KernelSet;
import java.util.Random;

/**
 * One SGD step of a rung of Nielsen's ladder (forward, backward, update) on one fixed mini-batch
 * of random images, through the network module's own layers ({@link Rung#build}), with the rung's
 * learning rate and its L2 term as weight decay {@code lambda / batches} over 50,000 images.
 *
 * <p>FLOPs per image, counting multiply-adds twice ({@link #flopsPerImage}): v3 is 9.22e6 (conv1
 * forward and backward-weights, conv2 forward, backward-data and backward-weights, the FC layers'
 * three passes).
 */
public final class LadderStep {

    private final Network network;
    private final Rung rung;
    private final float decay;
    private final float[] x, target;

    public LadderStep(KernelSet kernels, String rung, int batch) {
        if (!rung.equals("v3") && !rung.equals("v6")) throw new IllegalArgumentException("the step benchmark knows v3 and v6, not " + rung);
        this.rung = Rung.of(rung);
        this.network = this.rung.build(kernels, batch, 42);
        this.decay = this.rung.lambda() / (50_000f / batch);
        Random random = new Random(42);
        x = new float[batch * 28 * 28];
        for (int e = 0; e < x.length; e++) x[e] = random.nextFloat();
        target = new float[batch * 10];
        for (int n = 0; n < batch; n++) target[n * 10 + random.nextInt(10)] = 1;
        kernels.upload(x, target);
    }

    /** Floating-point operations per image of one step. */
    public static double flopsPerImage(String rung) {
        double conv1 = 2.0 * ConvShape.of(1, 1, 28, 28, 20, 5).macs(), conv2 = 2.0 * ConvShape.of(1, 20, 12, 12, 40, 5).macs();
        double fc = rung.equals("v6") ? 2.0 * (640 * 1000 + 1000 * 1000 + 1000 * 10) : 2.0 * (640 * 100 + 100 * 10);
        // conv1: forward and backward-weights (the input needs no gradient); conv2 and the FC layers: all three passes
        return 2 * conv1 + 3 * conv2 + 3 * fc;
    }

    /** One mini-batch: forward, backward, update. Returns the softmax output. */
    public float[] step() {
        return network.trainStep(x, target, rung.eta(), decay);
    }
}
