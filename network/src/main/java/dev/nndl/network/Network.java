package dev.nndl.network;

import dev.nndl.network.layer.DenseLayer;
import dev.nndl.network.layer.Layer;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.KernelSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack of layers ending in a softmax layer, trained by mini-batch SGD on the mean
 * log-likelihood plus {@code 0.5 * lambda * sum(w^2) / batches} (network3.py), all through one
 * {@link KernelSet}. A recurrent network may clip its gradient's norm ({@link #clip}).
 */
public final class Network {

    private final KernelSet k;
    private final List<Layer> layers;
    private final DenseLayer output;
    private final int batch, classes;
    private final float clip;
    private final float[] delta, losses, sum = new float[1];
    private long steps;
    /** The parts a training step splits its samples into ({@link KernelSet#sampleParts}), made at the first step; empty while steps stay whole. */
    private List<Part> parts;
    /** The softmax output of a split step, its parts' outputs one after another. */
    private float[] partsOutput;
    /** Whether the last forward pass ran in parts, whose logits then hold its losses. */
    private boolean lastPassInParts;
    /** A part's share of the whole mini-batch (1 for a whole network): its gradients are that share of the whole's. */
    private float share = 1;
    /** A part's {@code delta} times its share, made at its first pass. */
    private float[] sharedDelta;

    /** One part of a split step: the same layers over {@code x}'s and {@code y}'s samples, copied from the mini-batch. */
    private record Part(Network network, List<Layer.Parameter> parameters, float[] x, float[] y) {}

    public Network(KernelSet kernels, List<Layer> layers, int batch, int classes) {
        this(kernels, layers, batch, classes, 0);
    }

    /**
     * A network whose every step clips the gradient of all its parameters together to a norm of at
     * most {@code clip} (Pascanu, Mikolov and Bengio 2013: a recurrent net's gradient now and then
     * explodes, and one such step undoes what training had learned); 0 clips nothing.
     */
    public Network(KernelSet kernels, List<Layer> layers, int batch, int classes, float clip) {
        if (!(clip >= 0) || !Float.isFinite(clip)) throw new IllegalArgumentException("the gradient's clipping norm must be 0 (none) or more, not " + clip);
        this.k = kernels;
        this.clip = clip;
        this.layers = List.copyOf(layers);
        if (!(layers.getLast() instanceof DenseLayer d && d.logits() != null)) {
            throw new IllegalArgumentException("a network ends in a softmax layer; its last layer is " + layers.getLast().getClass().getSimpleName());
        }
        this.output = (DenseLayer) layers.getLast();
        this.batch = batch;
        this.classes = classes;
        this.delta = new float[batch * classes];
        this.losses = new float[batch];
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The kernel set every layer computes with. */
    public KernelSet kernels() {
        return k;
    }

    public int batch() {
        return batch;
    }

    public int classes() {
        return classes;
    }

    /** The largest norm a step's gradient keeps, or 0 for no clipping. */
    public float clip() {
        return clip;
    }

    /** Training steps taken so far; step {@code s} draws dropout masks from {@code s}, so a resumed network continues the same sequence. */
    public long steps() {
        return steps;
    }

    /** Sets the step count, for a network whose parameters were restored from a checkpoint. */
    public void resumeAt(long steps) {
        if (steps < 0) throw new IllegalArgumentException("step count " + steps + " < 0");
        this.steps = steps;
    }

    /** The softmax output for a mini-batch, without dropout. */
    public float[] forward(float[] x) {
        return forward(x, Layer.INFERENCE);
    }

    /**
     * The softmax output of training step {@code step}'s forward pass (its dropout masks), without
     * counting a step: for checking gradients against finite differences of the cost.
     */
    public float[] forward(float[] x, long step) {
        lastPassInParts = false;
        float[] a = x;
        for (Layer layer : layers) a = layer.forward(a, step);
        return a;
    }

    /**
     * Forward and backward on one mini-batch with one-hot targets {@code y}: fills every layer's
     * parameter gradients with the gradient of the mean log-likelihood, and returns the
     * softmax output. Counts as a training step (it draws that step's dropout masks).
     */
    public float[] gradients(float[] x, float[] y) {
        return pass(x, y, null);
    }

    /** Forward and backward, each layer then stepping with {@code sgd} unless it is null. */
    private float[] pass(float[] x, float[] y, Layer.Sgd sgd) {
        if (!parts(x, y).isEmpty()) {
            float[] a = passInParts(x, y);
            if (sgd != null) {
                for (Layer.Parameter p : parameters()) sgd.step(p);
            }
            return a;
        }
        float[] a = forward(x, steps++);
        k.softmaxLogLikelihoodBackward(delta, a, y, TensorShape.of(batch, classes));
        float[] d = delta;
        if (share != 1) {
            // the cost is a mean over the samples: a part's share of it is its own mean times its share
            if (sharedDelta == null) sharedDelta = new float[delta.length];
            k.setZero(sharedDelta);
            k.l2Backward(sharedDelta, delta, share);
            d = sharedDelta;
        }
        for (int i = layers.size() - 1; i >= 0; i--) d = sgd == null ? layers.get(i).backward(d, i > 0) : layers.get(i).backward(d, i > 0, sgd);
        return a;
    }

    /**
     * The parts of a split step, made the first time: as many as the kernel set asks for, each a
     * network over its share of the samples with the same parameters; none if it asks for one, or a
     * layer cannot be split.
     */
    private List<Part> parts(float[] x, float[] y) {
        if (parts != null) return parts;
        parts = List.of();
        int count = k.sampleParts(batch, parameters().stream().mapToLong(p -> p.value().length).sum(), layers.stream().mapToLong(Layer::macs).sum());
        if (count < 2) return parts;
        List<Part> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Layer> partLayers = new ArrayList<>();
            for (Layer layer : layers) {
                Layer part = layer.part(batch / count);
                if (part == null) return parts;
                partLayers.add(part);
            }
            Network network = new Network(k, partLayers, batch / count, classes, clip);
            network.parts = List.of();
            network.share = 1f / count;
            made.add(new Part(network, network.parameters(), new float[x.length / count], new float[y.length / count]));
        }
        partsOutput = new float[batch * classes];
        return parts = List.copyOf(made);
    }

    /**
     * Forward and backward in parts, at once: each part's gradients are its share of the whole's,
     * and added up, part by part, they are the whole's. Returns the softmax output, the parts' one
     * after another.
     */
    private float[] passInParts(float[] x, float[] y) {
        int count = parts.size();
        for (int i = 0; i < count; i++) {
            Part part = parts.get(i);
            System.arraycopy(x, i * part.x.length, part.x, 0, part.x.length);
            System.arraycopy(y, i * part.y.length, part.y, 0, part.y.length);
            k.upload(part.x, part.y);
        }
        float[][] outputs = new float[count][];
        k.concurrently(count, i -> outputs[i] = parts.get(i).network.gradients(parts.get(i).x, parts.get(i).y));
        steps++;
        lastPassInParts = true;
        List<Layer.Parameter> whole = parameters();
        for (int p = 0; p < whole.size(); p++) {
            float[] gradient = whole.get(p).gradient();
            k.addForward(gradient, parts.get(0).parameters.get(p).gradient(), parts.get(1).parameters.get(p).gradient());
            for (int i = 2; i < count; i++) k.addForward(gradient, gradient, parts.get(i).parameters.get(p).gradient());
        }
        for (int i = 0; i < count; i++) {
            k.download(outputs[i]);
            System.arraycopy(outputs[i], 0, partsOutput, i * outputs[i].length, outputs[i].length);
        }
        return partsOutput;
    }

    /**
     * The mean log-likelihood of the last forward pass for targets {@code y}, from the softmax
     * layer's logits: finite however confidently wrong the network is.
     */
    public double meanLoss(float[] y) {
        double sum = 0;
        if (lastPassInParts) {
            for (Part part : parts) {
                for (float l : part.network.losses(part.y)) sum += l;
            }
        } else {
            for (float l : losses(y)) sum += l;
        }
        return sum / batch;
    }

    /** Each sample's log-likelihood in the last forward pass, on the host. */
    private float[] losses(float[] y) {
        k.softmaxLogLikelihoodForward(losses, output.logits(), y, TensorShape.of(batch, classes));
        k.download(losses);
        return losses;
    }

    /** One SGD step: gradients, then {@code w -= eta * (dW + decay * w)} for weights, {@code b -= eta * dB} for biases. */
    public float[] trainStep(float[] x, float[] y, float eta, float decay) {
        return trainStep(x, y, eta, 0, decay);
    }

    /**
     * One SGD step with momentum: gradients, then for every parameter
     * {@code v = momentum * v - eta * (dW + decay * w)} and {@code w += v}, where biases do not
     * decay. With momentum 0 it is {@link #trainStep(float[], float[], float, float)}. A clipped
     * gradient {@code dW * scale} takes the step {@code eta * scale * (dW + decay / scale * w)}, so
     * the decay is not clipped; unclipped, {@code scale} is exactly 1. Without momentum or
     * clipping each layer takes its step in the backward pass, as soon as its gradients are known
     * (the same arithmetic, in fewer passes over memory: {@link Layer.Sgd}).
     */
    public float[] trainStep(float[] x, float[] y, float eta, float momentum, float decay) {
        // without momentum or clipping each layer steps as soon as its gradients are known, fused where it can
        if (momentum == 0 && clip == 0) return pass(x, y, new Layer.Sgd(k, eta, decay));
        float[] a = gradients(x, y);
        float scale = clip == 0 ? 1 : clipScale();
        for (Layer layer : layers) {
            for (Layer.Parameter p : layer.parameters()) {
                k.sgdUpdate(p.value(), p.velocity(), p.gradient(), eta * scale, momentum, p.decays() && decay != 0 ? decay / scale : 0);
            }
        }
        return a;
    }

    /**
     * {@code clip / ||gradient||} if the gradient is longer than {@link #clip}, else 1; also 1 for a
     * gradient that is not finite, which the step passes on for the trainer to report as divergence.
     */
    private float clipScale() {
        double squares = 0;
        for (Layer.Parameter p : parameters()) {
            k.l2Forward(sum, p.gradient());
            k.download(sum);
            squares += sum[0];
        }
        double norm = Math.sqrt(squares);
        return Double.isFinite(norm) && norm > clip ? (float) (clip / norm) : 1;
    }

    /** Every parameter, in layer order. */
    public List<Layer.Parameter> parameters() {
        List<Layer.Parameter> all = new ArrayList<>();
        for (Layer layer : layers) all.addAll(layer.parameters());
        return all;
    }
}
