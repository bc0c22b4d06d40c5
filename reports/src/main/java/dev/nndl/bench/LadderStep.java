package dev.nndl.bench;

import dev.nndl.network.Network;
import dev.nndl.network.Model;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.KernelSet;
import java.util.Random;

/**
 * One SGD step of a rung of Nielsen's ladder, or of LeNet-5 (forward, backward, update), on one
 * fixed mini-batch of random images, through the network module's own layers ({@link Model#build}), with the model's
 * learning rate and its L2 term as weight decay {@code lambda / batches} over 50,000 images.
 *
 * <p>FLOPs per image, counting multiply-adds twice ({@link #flopsPerImage}): v3 is 9.22e6 (conv1
 * forward and backward-weights, conv2 forward, backward-data and backward-weights, the FC layers'
 * three passes): 9.2 MFLOP a 28x28 image.
 */
public final class LadderStep {

    private final KernelSet kernels;
    private final Network network;
    private final Model rung;
    private final float decay;
    private final float[] x, target;

    public LadderStep(KernelSet kernels, String rung, int batch) {
        this.kernels = kernels;
        this.rung = Model.of(rung);
        this.network = this.rung.build(kernels, batch, 42);
        this.decay = this.rung.lambda() / (50_000f / batch);
        Random random = new Random(42);
        x = new float[batch * 28 * 28];
        for (int e = 0; e < x.length; e++) x[e] = random.nextFloat();
        target = new float[batch * 10];
        for (int n = 0; n < batch; n++) target[n * 10 + random.nextInt(10)] = 1;
        kernels.upload(x, target);
    }

    /**
     * Floating-point operations per image of one step: each layer's forward and backward-weights
     * passes, and its backward-data pass except the first layer's (its input needs no gradient),
     * each {@code 2 * multiply-adds}. Pooling, activations, the softmax and the update are lower
     * order and not counted.
     */
    public static double flopsPerImage(String rung) {
        int batch = 1;
        Network network = Model.of(rung).build(new ReferenceKernels(), batch, 0);
        double flops = 0;
        for (int i = 0; i < network.layers().size(); i++) flops += 2.0 * network.layers().get(i).macs() * (i == 0 ? 2 : 3);
        return flops / batch;
    }

    /** One mini-batch: forward, backward, update. Returns the softmax output. */
    public float[] step() {
        return network.trainStep(x, target, rung.eta(), decay);
    }

    /**
     * A step as the trainer takes one: the mini-batch uploaded (the trainer writes a new one on the
     * host each step), the step, and the mean loss read back. Returns the loss.
     */
    public double trainerStep() {
        kernels.upload(x, target);
        network.trainStep(x, target, rung.eta(), decay);
        return network.meanLoss(target);
    }

    /** Bytes a trainer's step must move at least: the images and labels to the device, the per-sample losses back. */
    public long essentialBytes() {
        return Float.BYTES * ((long) x.length + target.length + network.batch());
    }
}
