package dev.nndl.network.data;

import dev.nndl.network.Model;
import dev.nndl.spi.BadFileException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pictures from files, prepared as a model's training images were, to be classified: for a model
 * of MNIST's digits, any picture made into an MNIST image ({@link DigitImages}) and every image
 * of an idx3 file as it is; for a model of colour images, each picture rescaled and
 * centre-cropped as {@link ImageFolder} and {@link AugmentedImages} prepare its evaluation
 * images, less the training set's mean image. {@link #samples} feeds them to the network (their
 * labels are 0: unknown); {@link #names} names each for output.
 */
public final class Pictures {

    private final List<String> names;
    private final Samples samples;
    private final Images colour;
    private final int crop;

    private Pictures(List<String> names, Samples samples, Images colour, int crop) {
        this.names = List.copyOf(names);
        this.samples = samples;
        this.colour = colour;
        this.crop = crop;
    }

    /**
     * {@code files} as MNIST images: a picture (PNG, JPEG, BMP, GIF) made into one, named as
     * given; an idx3 file, raw or gzipped, gives each of its 28 x 28 images, named
     * {@code FILE[i]}.
     */
    public static Pictures digits(List<Path> files) throws IOException {
        List<String> names = new ArrayList<>();
        List<byte[]> digits = new ArrayList<>();
        for (Path file : files) {
            if (isIdx(file)) {
                Idx.Images images = Idx.readImages(file);
                if (images.rows() != DigitImages.SIDE || images.cols() != DigitImages.SIDE) {
                    throw new Idx.IdxException(file, "holds " + images.rows() + "x" + images.cols() + " images; MNIST's models read 28x28 ones");
                }
                int size = DigitImages.SIDE * DigitImages.SIDE;
                for (int i = 0; i < images.count(); i++) {
                    names.add(file + "[" + i + "]");
                    digits.add(java.util.Arrays.copyOfRange(images.pixels(), i * size, (i + 1) * size));
                }
            } else {
                names.add(file.toString());
                digits.add(DigitImages.read(file));
            }
        }
        byte[] all = new byte[digits.size() * DigitImages.SIDE * DigitImages.SIDE];
        for (int i = 0; i < digits.size(); i++) System.arraycopy(digits.get(i), 0, all, i * digits.get(i).length, digits.get(i).length);
        Mnist.Set set = new Mnist.Set(Mnist.scale(all), new int[digits.size()], DigitImages.SIDE, DigitImages.SIDE);
        return new Pictures(names, set, null, 0);
    }

    /**
     * {@code files} as a model of colour images that reads {@code input} sees them in evaluation:
     * rescaled to {@code input.side()} on the shorter side and centre-cropped square, then the
     * central {@code input.crop()} square less {@code mean} (the training set's mean image,
     * {@code 3 x side x side}).
     */
    public static Pictures colour(List<Path> files, Model.Input.Colour input, float[] mean, List<String> classes) throws IOException {
        int side = input.side();
        long most = (Integer.MAX_VALUE - 8) / ((long) Images.CHANNELS * side * side);
        if (files.size() > most) throw new IllegalArgumentException(files.size() + " pictures at 3x" + side + "x" + side + " are more than one array holds; give at most " + most + " at a time");
        byte[] pixels = new byte[files.size() * Images.CHANNELS * side * side];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            if (isIdx(file)) {
                throw new BadFileException(file, "is an idx file of MNIST digits, and this model reads colour images; give PNG, JPEG, BMP or GIF pictures");
            }
            ImageFolder.square(ImageFolder.decode(file, "give a PNG, JPEG, BMP or GIF picture", "give a PNG or JPEG of it instead"), side, pixels,
                    i * Images.CHANNELS * side * side);
            names.add(file.toString());
        }
        Images images = new Images(pixels, new int[files.size()], classes, side);
        return new Pictures(names, new AugmentedImages(images, mean, input.crop(), 0), images, input.crop());
    }

    /** Whether {@code file} starts as an idx file does (two zero bytes, then 8 for unsigned bytes) or as gzip does. */
    static boolean isIdx(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (!Files.exists(file)) throw new java.nio.file.NoSuchFileException(file.toString());
            throw new BadFileException(file, "is not a regular file; give a picture or an idx3 images file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(3);
        }
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b
                || head.length == 3 && head[0] == 0 && head[1] == 0 && head[2] == 8;
    }

    public int count() {
        return names.size();
    }

    /** Each picture's name: its file as given, or {@code FILE[i]} for the {@code i}th image of an idx file. */
    public List<String> names() {
        return names;
    }

    /** The pictures as the network reads them, labelled 0. */
    public Samples samples() {
        return samples;
    }

    /** Picture {@code i} as the network sees it, to look at: the 28 x 28 digit, or the colour crop before the mean is subtracted. */
    public BufferedImage prepared(int i) {
        if (colour == null) {
            byte[] digit = new byte[samples.size()];
            float[] x = new float[samples.size()];
            samples.copy(i, 1, x, Samples.EVALUATION);
            for (int e = 0; e < digit.length; e++) digit[e] = (byte) Math.round(x[e] * 255);
            return DigitImages.picture(digit);
        }
        int side = colour.side(), at = (side - crop) / 2, plane = side * side, image = i * colour.imageSize();
        BufferedImage picture = new BufferedImage(crop, crop, BufferedImage.TYPE_INT_RGB);
        byte[] p = colour.pixels();
        for (int y = 0; y < crop; y++) {
            for (int x = 0; x < crop; x++) {
                int from = image + (at + y) * side + at + x;
                picture.setRGB(x, y, (p[from] & 0xff) << 16 | (p[from + plane] & 0xff) << 8 | p[from + 2 * plane] & 0xff);
            }
        }
        return picture;
    }
}
