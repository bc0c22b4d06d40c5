package dev.nndl.network;

import dev.nndl.shape.Architecture;
import dev.nndl.shape.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * AlexNet (Krizhevsky, Sutskever and Hinton 2012) as a trainable model: the seed's table with the
 * paper's two-GPU groups ({@link Architecture#alexNet}), its output layer sized to the data's
 * classes, and the paper's recipe (section 5): SGD with momentum 0.9, weight decay 0.0005 per step
 * (the paper's {@code 0.0005 eps w} term; here {@code lambda} is that per-step decay, not
 * network3's L2 strength), learning rate 0.01 divided by 10 whenever the validation error stops
 * improving, mini-batches of 128, about 90 epochs. It trains on colour images, augmented as the
 * paper does ({@link dev.nndl.network.data.AugmentedImages}); on ImageNet it reached 40.7 % top-1
 * error, 59.3 % accuracy, with one network.
 *
 * <p>Initialisation follows {@link Networks} (He et al.'s for the ReLU layers) rather than the
 * paper's N(0, 0.01) with unit biases, which needs the paper's patience: a week on two GPUs.
 *
 * @param classes the output layer's classes: 1000 for ImageNet
 */
public record AlexNet(int classes) implements ImageModel {

    public static final String ID = "alexnet";

    public AlexNet {
        if (classes < 2) throw new IllegalArgumentException("AlexNet needs at least 2 classes, not " + classes);
    }

    /** The model an id names: {@code alexnet} (1000 classes) or {@code alexnet-N}; empty for any other id. */
    static java.util.Optional<Model> of(String id) {
        if (id.equalsIgnoreCase(ID)) return java.util.Optional.of(new AlexNet(1000));
        if (id.toLowerCase(java.util.Locale.ROOT).matches(ID + "-[0-9]+")) return java.util.Optional.of(new AlexNet(Integer.parseInt(id.substring(ID.length() + 1))));
        return java.util.Optional.empty();
    }

    @Override public String id() { return classes == 1000 ? ID : ID + "-" + classes; }
    @Override public String change() {
        return "AlexNet (Krizhevsky et al. 2012): 5 conv (groups of 2 in conv2, 4, 5), LRN, overlapping max pooling, 3 FC with dropout; " + classes + " classes";
    }
    @Override public float eta() { return 0.01f; }
    @Override public float lambda() { return 0.0005f; }
    @Override public int epochs() { return 90; }
    @Override public int batch() { return 128; }
    @Override public float momentum() { return 0.9f; }
    /** Divide by 10 when the validation error stops improving: {@code plateau:10:1}. */
    @Override public dev.nndl.network.train.Schedule schedule() { return dev.nndl.network.train.Schedule.parse("plateau"); }
    /** ImageNet's: on other data there is nothing published to compare with. */
    @Override public double publishedAccuracy() { return classes == 1000 ? 59.3 : Double.NaN; }
    @Override public String publishedBy() { return classes == 1000 ? "Krizhevsky et al. (ImageNet top-1)" : ""; }

    @Override public AlexNet withClasses(int classes) { return new AlexNet(classes); }
    /** The paper's 227 x 227 crops of images rescaled to 256 x 256. */
    @Override public int crop() { return 227; }
    @Override public int imageSide() { return 256; }

    /** The seed's AlexNet with {@link #classes} outputs. */
    @Override
    public Architecture architecture() {
        Architecture paper = Architecture.alexNet();
        List<Layer> layers = new ArrayList<>(paper.layers());
        layers.set(layers.size() - 1, new Layer.FullyConnected("fc8", classes, "softmax"));
        return new Architecture(paper.name(), paper.description() + ", " + classes + " classes", paper.input(), layers);
    }

    @Override
    public String toString() {
        return id();
    }
}
