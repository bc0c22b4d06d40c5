package dev.nndl.network;

import dev.nndl.network.data.Mnist;

/**
 * A model of colour images, which {@code nndl train} feeds from {@code --images DIR} or
 * {@code --synthetic}: AlexNet and GoogLeNet. Each image is rescaled to {@link #imageSide} square
 * ({@link dev.nndl.network.data.Images}), and the network sees a {@link #crop} square of it, the
 * training set's mean image subtracted ({@link dev.nndl.network.data.AugmentedImages}); its
 * output layer has one unit per class.
 */
public interface ImageModel extends Model {

    /** The output layer's classes: 1000 for ImageNet. */
    int classes();

    /** The same model with {@code classes} outputs: the data's, once they are known. */
    ImageModel withClasses(int classes);

    /** The side of the network's input: the crop taken from each image (AlexNet's 227). */
    int crop();

    /** The side images are rescaled to before they are cropped (AlexNet's 256). */
    int imageSide();

    /** Colour images rescaled to {@link #imageSide}, of which the network sees the central {@link #crop} square in evaluation. */
    @Override
    default Input reads() {
        return new Input.Colour(imageSide(), crop());
    }

    /**
     * Weight decay per step, as both papers' recipes give it (AlexNet's section 5, GoogLeNet's
     * Caffe solver): {@code lambda} itself, whatever the number of mini-batches.
     */
    @Override
    default float weightDecay(float lambda, int batches) {
        return lambda;
    }

    /** The network of its shape table ({@link Networks}). */
    @Override
    default Network build(dev.nndl.spi.KernelSet k, int batch, long seed) {
        return Networks.of(architecture(), k, batch, seed);
    }

    @Override
    default boolean expanded() {
        return false;
    }

    @Override
    default Mnist.Splits data(Mnist.Splits splits) {
        throw new UnsupportedOperationException(id() + " trains on colour images, not MNIST: give --images DIR (one folder per class) or --synthetic");
    }
}
