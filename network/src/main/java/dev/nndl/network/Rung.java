package dev.nndl.network;

import dev.nndl.network.layer.Activation;
import dev.nndl.network.layer.ConvPoolLayer;
import dev.nndl.network.layer.DenseLayer;
import dev.nndl.network.layer.Layer;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import dev.nndl.spi.KernelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A rung of Nielsen's ladder (network3.py, chapter 6), as data: what changed, the layers, the
 * hyper-parameters, and the test accuracy Nielsen reported. Mini-batch 10; 50,000 training images,
 * 250,000 for the expanded rungs.
 */
public enum Rung implements Model {
    V0("FC 784-100 sigmoid, softmax 10", 0.1f, 0, 60, false, 97.80),
    V1("adds conv 20x5x5 + max-pool 2 before the FC 100", 0.1f, 0, 60, false, 98.78),
    V2("adds a second conv-pool, 40x5x5 (FC 640-100)", 0.1f, 0, 60, false, 99.06),
    V3("v2 with ReLU, eta 0.03, L2 lambda 0.1", 0.03f, 0.1f, 60, false, 99.23),
    V4("v3 on the expanded data (250,000 one-pixel shifts)", 0.03f, 0.1f, 60, true, 99.37),
    V5("v4 plus a second FC 100 ReLU", 0.03f, 0.1f, 60, true, 99.43),
    V6("conv, conv, FC 1000, FC 1000, dropout 0.5 on the FC and softmax inputs", 0.03f, 0, 40, true, 99.60);

    private final String change;
    private final float eta, lambda;
    private final int epochs;
    private final boolean expanded;
    private final double nielsenAccuracy;

    Rung(String change, float eta, float lambda, int epochs, boolean expanded, double nielsenAccuracy) {
        this.change = change;
        this.eta = eta;
        this.lambda = lambda;
        this.epochs = epochs;
        this.expanded = expanded;
        this.nielsenAccuracy = nielsenAccuracy;
    }

    @Override public String change() { return change; }
    @Override public float eta() { return eta; }
    @Override public float lambda() { return lambda; }
    @Override public int epochs() { return epochs; }
    @Override public boolean expanded() { return expanded; }
    @Override public double publishedAccuracy() { return nielsenAccuracy; }
    @Override public String publishedBy() { return "Nielsen"; }

    /** {@code v0} .. {@code v6}. */
    @Override
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public Network build(KernelSet k, int batch, long seed) {
        return build(k, batch, seed, activation());
    }

    /** Nielsen's table of the rung: a conv-pool layer is a conv row and a pool row. */
    @Override
    public dev.nndl.shape.Architecture architecture() {
        return dev.nndl.shape.Architecture.nielsen(ordinal());
    }

    /** Sigmoid for v0-v2, ReLU from v3 on. */
    public Activation activation() {
        return ordinal() <= 2 ? Activation.SIGMOID : Activation.RELU;
    }

    /** The rung's layers with {@code act} in place of its activation (a test's smooth stand-in for ReLU). */
    Network build(KernelSet k, int batch, long seed, Activation act) {
        Random random = new Random(seed);
        List<Layer> layers = new ArrayList<>();
        int features = 784;
        if (this != V0) {
            layers.add(new ConvPoolLayer(k, ConvShape.of(batch, 1, 28, 28, 20, 5), 2, act, random));
            features = 20 * 12 * 12;
        }
        if (ordinal() >= 2) {
            layers.add(new ConvPoolLayer(k, ConvShape.of(batch, 20, 12, 12, 40, 5), 2, act, random));
            features = 40 * 4 * 4;
        }
        float dropout = this == V6 ? 0.5f : 0;
        int hidden = this == V6 ? 1000 : 100;
        layers.add(new DenseLayer(k, new FcShape(batch, features, hidden), act, dropout, random));
        if (this == V5 || this == V6) layers.add(new DenseLayer(k, new FcShape(batch, hidden, hidden), act, dropout, random));
        layers.add(new DenseLayer(k, new FcShape(batch, hidden, 10), null, dropout, random));
        return new Network(k, layers, batch, 10);
    }

    /** Nielsen's test accuracy for five v6 networks voting (plurality). */
    public static final double ENSEMBLE_ACCURACY = 99.67;

    /** {@code v0} .. {@code v6}, in order. */
    public static List<String> ids() {
        return java.util.Arrays.stream(values()).map(Rung::id).toList();
    }

    /** The rung named {@code v0} .. {@code v6}. */
    public static Rung of(String id) {
        for (Rung r : values()) if (r.id().equalsIgnoreCase(id)) return r;
        throw new IllegalArgumentException("no rung '" + id + "'; Nielsen's ladder has v0 .. v6");
    }
}
