package dev.nndl.network;

import dev.nndl.network.data.Mnist;
import dev.nndl.spi.KernelSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A network {@code nndl train} can train on MNIST: its layers, its published training recipe and
 * the test accuracy its authors reported. The rungs of Nielsen's ladder ({@link Rung}) and
 * LeNet-5 ({@link LeNet5}).
 */
public interface Model {

    /** As {@code --model} spells it: {@code v0} .. {@code v6}, {@code lenet5}. */
    String id();

    /** What the model is, or what the rung changed, in a line. */
    String change();

    float eta();

    float lambda();

    int epochs();

    /** Whether it trains on the 250,000-image expansion. */
    boolean expanded();

    /** The test accuracy, in percent, its authors reported. */
    double publishedAccuracy();

    /** Who reported {@link #publishedAccuracy}, for output: "Nielsen", "LeCun et al.". */
    String publishedBy();

    /** The network for mini-batches of {@code batch} 28x28 images, initialised from {@code seed}. */
    Network build(KernelSet k, int batch, long seed);

    /** The seed of the one shuffle of the expanded set, shared by every run (expand_mnist.py made one file for all of them). */
    long EXPANSION_SHUFFLE_SEED = 1;

    /**
     * The model's training images from Nielsen's split: the 50,000, or for the expanded models their
     * 250,000 shifted copies shuffled once.
     */
    default Mnist.Splits data(Mnist.Splits splits) {
        if (!expanded()) return splits;
        return new Mnist.Splits(Mnist.shuffle(Mnist.expand(splits.training()), EXPANSION_SHUFFLE_SEED), splits.validation(), splits.test());
    }

    /** Every model: v0 .. v6, then lenet5. */
    static List<Model> all() {
        List<Model> all = new ArrayList<>(List.of(Rung.values()));
        all.add(LeNet5.MODEL);
        return all;
    }

    /** The model named {@code id}. */
    static Model of(String id) {
        for (Model m : all()) if (m.id().equalsIgnoreCase(id)) return m;
        throw new IllegalArgumentException("no model '" + id + "'; known: " + String.join(", ", all().stream().map(Model::id).toList())
                + " (Nielsen's ladder has v0 .. v6)");
    }
}
