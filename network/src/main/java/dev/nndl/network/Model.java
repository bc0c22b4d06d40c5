package dev.nndl.network;

import dev.nndl.network.data.Mnist;
import dev.nndl.network.recurrent.RecurrentModel;
import dev.nndl.spi.KernelSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A network {@code nndl train} can train: its layers, its published training recipe and the test
 * accuracy its authors reported. On MNIST, the rungs of Nielsen's ladder ({@link Rung}) and
 * LeNet-5 ({@link LeNet5}); on colour images, the {@link ImageModel}s AlexNet and GoogLeNet; on
 * generated sequences, the sequence classifiers ({@link RecurrentModel}).
 */
public interface Model {

    /** As {@code --model} spells it: {@code v0} .. {@code v6}, {@code lenet5}, {@code alexnet-10}, {@code googlenet-10-w0.25-i96}, {@code lstm}, ... */
    String id();

    /** What the model is, or what the rung changed, in a line. */
    String change();

    float eta();

    float lambda();

    int epochs();

    /**
     * The weight decay of one SGD step, {@code v = momentum v - eta (dW + decay w)}, for an L2
     * strength {@code lambda} over an epoch of {@code batches} mini-batches: network3's
     * {@code lambda / batches}, which makes lambda the L2 term's weight in the whole training
     * set's cost. (AlexNet's recipe gives the decay per step instead.)
     */
    default float weightDecay(float lambda, int batches) {
        return lambda / batches;
    }

    /** The recipe's mini-batch: Nielsen's 10 unless a model says otherwise. */
    default int batch() {
        return 10;
    }

    /** The recipe's SGD momentum: none in network3. */
    default float momentum() {
        return 0;
    }

    /** The recipe's learning-rate schedule: network3's constant rate. */
    default dev.nndl.network.train.Schedule schedule() {
        return new dev.nndl.network.train.Schedule.Constant();
    }

    /**
     * What the network reads, as a program that feeds it images from outside must prepare them
     * ({@code nndl predict}): MNIST's digits unless the model says otherwise.
     */
    default Input reads() {
        return new Input.Digits();
    }

    /** The kinds of input a model reads. */
    sealed interface Input {

        /** MNIST's digits: 28 x 28 grey pixels scaled to {@code [0, 1]}, the ink light on a background of 0. */
        record Digits() implements Input {}

        /**
         * Colour images rescaled to {@code side} on their shorter side and centre-cropped square, as
         * {@link dev.nndl.network.data.ImageFolder} stores them; the network sees a
         * {@code crop x crop} patch of each, less its training set's mean image
         * ({@link dev.nndl.network.data.AugmentedImages}): what every {@link ImageModel} reads
         * (AlexNet's: 256 and 227).
         */
        record Colour(int side, int crop) implements Input {
            public Colour {
                if (crop < 1 || crop > side) throw new IllegalArgumentException("a crop of " + crop + " does not fit images of " + side);
            }
        }

        /** Something other than an image, such as a sequence, which nndl predict refuses; {@code what} names it in messages. */
        record Other(String what) implements Input {}
    }

    /** Whether it trains on the 250,000-image expansion. */
    boolean expanded();

    /** The test accuracy, in percent, its authors reported. */
    double publishedAccuracy();

    /** Who reported {@link #publishedAccuracy}, for output: "Nielsen", "LeCun et al.". */
    String publishedBy();

    /**
     * Its layers as a shape table, whose names ({@code conv1}, {@code fc1}, {@code C1}, ...) name its
     * parameters outside nndl: one row per layer with parameters, in the order of
     * {@link Network#parameters}.
     */
    dev.nndl.shape.Architecture architecture();

    /** The network for mini-batches of {@code batch} samples (28x28 images for the MNIST models), initialised from {@code seed}. */
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

    /** Every MNIST model: v0 .. v6, then lenet5. */
    static List<Model> all() {
        List<Model> all = new ArrayList<>(List.of(Rung.values()));
        all.add(LeNet5.MODEL);
        return all;
    }

    /**
     * The model named {@code id}: a rung, {@code lenet5}, {@code alexnet} ({@code alexnet-N} for N
     * classes), {@code googlenet} ({@code googlenet-N-wX-iS}: see {@link GoogLeNet}), or a recurrent
     * sequence classifier, {@code lstm} or {@code rnn} ({@code lstm-h64-t20-s8}: see {@link RecurrentModel}).
     */
    static Model of(String id) {
        for (Model m : all()) if (m.id().equalsIgnoreCase(id)) return m;
        var other = AlexNet.of(id).or(() -> GoogLeNet.of(id)).or(() -> RecurrentModel.parse(id));
        if (other.isPresent()) return other.get();
        throw new IllegalArgumentException("no model '" + id + "'; known: " + String.join(", ", all().stream().map(Model::id).toList())
                + ", alexnet, googlenet, lstm, rnn (Nielsen's ladder has v0 .. v6; lstm-hHIDDEN-tSTEPS-sSYMBOLS sizes a recurrent one)");
    }
}
