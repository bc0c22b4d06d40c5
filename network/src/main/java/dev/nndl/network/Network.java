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
    /** How the steps split ({@link #split()}), chosen at the first step; null while they stay whole. */
    private Split split;
    private boolean splitChosen;

    /**
     * A step split into parts of the mini-batch ({@link KernelSet#sampleParts}): the first
     * {@code layers} layers in parts at once, the rest whole on their joined output; each part's
     * share of the input and of the gradient of the split layers' output, made at the first step.
     */
    private record Split(int layers, List<Part> parts, List<Layer.Parameter> parameters, float[][] inputs, float[][] gradients) {}

    /** One part: the split layers over its samples, and their parameters. */
    private record Part(List<Layer> layers, List<Layer.Parameter> parameters) {
        Part(List<Layer> layers) {
            this(layers, parametersOf(layers));
        }
    }

    private static List<Layer.Parameter> parametersOf(List<Layer> layers) {
        return layers.stream().flatMap(layer -> layer.parameters().stream()).toList();
    }

    /** The split layers' output for the whole mini-batch, the parts' one after another (made at the first step). */
    private float[] joined;

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
        if (split() != null) return passInParts(x, y, sgd);
        float[] a = forward(x, steps++);
        k.softmaxLogLikelihoodBackward(delta, a, y, TensorShape.of(batch, classes));
        float[] d = delta;
        for (int i = layers.size() - 1; i >= 0; i--) d = sgd == null ? layers.get(i).backward(d, i > 0) : layers.get(i).backward(d, i > 0, sgd);
        return a;
    }

    /**
     * How the steps split, chosen the first time: the longest run of first layers that the kernel
     * set splits (their parameters and multiply-adds are what it is asked about) and that can all
     * be split, into as many parts as it asks for; null if none.
     */
    private Split split() {
        if (splitChosen) return split;
        splitChosen = true;
        for (int end = layers.size(); end > 0; ) {
            int splitLayers = 0, count = 1;
            long parameters = 0, macs = 0;
            for (int i = 0; i < end; i++) {
                for (Layer.Parameter p : layers.get(i).parameters()) parameters += p.value().length;
                macs += layers.get(i).macs();
                int asked = k.sampleParts(batch, parameters, macs);
                if (asked > 1) {
                    splitLayers = i + 1;
                    count = asked;
                }
            }
            if (splitLayers == 0) return null;
            List<Part> parts = new ArrayList<>();
            int cannot = -1;
            for (int p = 0; p < count && cannot < 0; p++) {
                List<Layer> partLayers = new ArrayList<>();
                for (int i = 0; i < splitLayers && cannot < 0; i++) {
                    Layer part = layers.get(i).part(batch / count);
                    if (part == null) cannot = i;
                    else partLayers.add(part);
                }
                if (cannot < 0) parts.add(new Part(partLayers));
            }
            if (cannot >= 0) {
                // a layer that cannot be split: the layers before it may still be
                end = cannot;
                continue;
            }
            return split = new Split(splitLayers, List.copyOf(parts), parametersOf(layers.subList(0, splitLayers)), new float[count][], new float[count][]);
        }
        return null;
    }

    /**
     * Forward and backward with the first layers in parts at once, each part on its own samples,
     * and the rest of the layers whole on the parts' outputs joined: the softmax's gradient is the
     * whole mini-batch's, and the parts' gradients add up, part by part, to the split layers'.
     */
    private float[] passInParts(float[] x, float[] y, Layer.Sgd sgd) {
        List<Part> parts = split.parts();
        int count = parts.size(), splitLayers = split.layers();
        long step = steps++;
        scatter(x, split.inputs());
        float[][] outputs = new float[count][];
        k.concurrently(count, i -> {
            float[] a = split.inputs()[i];
            for (Layer layer : parts.get(i).layers()) a = layer.forward(a, step);
            outputs[i] = a;
        });
        if (joined == null) joined = new float[outputs[0].length * count];
        gather(outputs, joined);
        if (splitLayers == layers.size()) {
            // the parts ended in the softmax: their logits joined where meanLoss reads the whole's
            gather(parts.stream().map(p -> ((DenseLayer) p.layers().getLast()).logits()).toArray(float[][]::new), output.logits());
        }
        float[] a = joined;
        for (Layer layer : layers.subList(splitLayers, layers.size())) a = layer.forward(a, step);
        k.softmaxLogLikelihoodBackward(delta, a, y, TensorShape.of(batch, classes));
        float[] d = delta;
        for (int i = layers.size() - 1; i >= splitLayers; i--) d = sgd == null ? layers.get(i).backward(d, true) : layers.get(i).backward(d, true, sgd);
        scatter(d, split.gradients());
        k.concurrently(count, i -> {
            float[] g = split.gradients()[i];
            for (int l = splitLayers - 1; l >= 0; l--) g = parts.get(i).layers().get(l).backward(g, l > 0);
        });
        for (int p = 0; p < split.parameters().size(); p++) {
            Layer.Parameter whole = split.parameters().get(p);
            k.addForward(whole.gradient(), parts.get(0).parameters().get(p).gradient(), parts.get(1).parameters().get(p).gradient());
            for (int i = 2; i < count; i++) k.addForward(whole.gradient(), whole.gradient(), parts.get(i).parameters().get(p).gradient());
            if (sgd != null) sgd.step(whole);
        }
        return a;
    }

    /** Each part's share of {@code whole}, in {@code shares} (made the first time), uploaded for the kernels. */
    private void scatter(float[] whole, float[][] shares) {
        k.download(whole);
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] == null) shares[i] = new float[whole.length / shares.length];
            System.arraycopy(whole, i * shares[i].length, shares[i], 0, shares[i].length);
            k.upload(shares[i]);
        }
    }

    /** {@code shares} one after another in {@code whole}, downloaded from the kernels and {@code whole} uploaded. */
    private void gather(float[][] shares, float[] whole) {
        for (int i = 0; i < shares.length; i++) {
            k.download(shares[i]);
            System.arraycopy(shares[i], 0, whole, i * shares[i].length, shares[i].length);
        }
        k.upload(whole);
    }

    /**
     * The mean log-likelihood of the last forward pass for targets {@code y}, from the softmax
     * layer's logits: finite however confidently wrong the network is.
     */
    public double meanLoss(float[] y) {
        k.softmaxLogLikelihoodForward(losses, output.logits(), y, TensorShape.of(batch, classes));
        k.download(losses);
        double sum = 0;
        for (float l : losses) sum += l;
        return sum / batch;
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
        return new ArrayList<>(parametersOf(layers));
    }
}
