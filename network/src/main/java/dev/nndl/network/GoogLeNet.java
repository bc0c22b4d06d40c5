package dev.nndl.network;

import dev.nndl.shape.Architecture;
import dev.nndl.shape.Layer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GoogLeNet (Szegedy et al. 2014, "Going deeper with convolutions") as a trainable model: the rows
 * of the paper's Table 1 ({@link Architecture#googLeNet}), every layer's channels times
 * {@link #width}, on {@link #crop} x {@link #crop} inputs, the output layer sized to the data's
 * classes. The table's final 7 x 7 average pool becomes a pool over whatever the input leaves
 * there (7 x 7 at 224, 3 x 3 at 96): global average pooling, as at 224. The auxiliary classifiers
 * the paper attaches to 4a and 4d during training are not in Table 1 and not here; neither are
 * the two LRN layers of the released model.
 *
 * <p>The recipe is section 6's where it gives one: SGD with momentum 0.9, the learning rate 4 %
 * lower every 8 epochs ({@code step:0.96:8}). The paper gives no starting rate, weight decay,
 * mini-batch or epoch count; these are the Caffe reproduction's (bvlc_googlenet's solver): eta
 * 0.01, weight decay 0.0002 per step, mini-batches of 32, and 60 epochs (its quick solver's 2.4
 * million steps of 32). On ImageNet the paper reports a top-5 error of 10.07 % for one model and
 * one crop (Table 3), and no top-1 accuracy, which is what nndl measures: there is nothing to
 * compare with.
 *
 * <p>Ids: {@code googlenet} (1000 classes, width 1, 224 input), then optionally {@code -N}
 * classes, {@code -wX} width and {@code -iS} input, in that order: {@code googlenet-10-w0.25-i96}.
 *
 * @param classes the output layer's classes: 1000 for ImageNet
 * @param width   every layer's channels are multiplied by it and rounded, keeping at least 1
 * @param crop    the side of the input, the paper's 224
 */
public record GoogLeNet(int classes, float width, int crop) implements ImageModel {

    public static final String ID = "googlenet";
    /** The paper's input side. */
    public static final int PAPER_CROP = 224;
    /**
     * The smallest input: each of the five stride-2 layers (conv1, pool1 .. pool4) has a map of
     * at least 2 x 2 to halve, and 5a and 5b see 1 x 1; at 16, pool4 would get 1 x 1 already.
     */
    public static final int MIN_CROP = 17;
    /** The largest input: at 512, activations take five times their memory at 224. */
    public static final int MAX_CROP = 512;

    /** What works, for messages: {@code --width} and {@code -wX} alike. */
    public static final String WIDTHS = "use a multiplier above 0 and at most 1 (0.25 keeps a quarter of every layer's channels)";
    public static final String CROPS = "use " + MIN_CROP + " to " + MAX_CROP + " pixels (the paper's is " + PAPER_CROP + ")";

    private static final Pattern IDS = Pattern.compile(ID + "(?:-([0-9]+))?(?:-w([0-9]*\\.?[0-9]+))?(?:-i([0-9]+))?");

    public GoogLeNet {
        if (classes < 2) throw new IllegalArgumentException("GoogLeNet needs at least 2 classes, not " + classes);
        if (!(width > 0 && width <= 1)) throw new IllegalArgumentException("GoogLeNet's width " + width + ": " + WIDTHS);
        if (crop < MIN_CROP || crop > MAX_CROP) throw new IllegalArgumentException("GoogLeNet's input size " + crop + ": " + CROPS);
    }

    /** The paper's network with {@code classes} outputs. */
    public GoogLeNet(int classes) {
        this(classes, 1, PAPER_CROP);
    }

    /** The model an id names (see the class comment); empty for an id of another model. */
    static Optional<Model> of(String id) {
        Matcher m = IDS.matcher(id.toLowerCase(Locale.ROOT));
        if (!m.matches()) return Optional.empty();
        try {
            return Optional.of(new GoogLeNet(m.group(1) == null ? 1000 : Integer.parseInt(m.group(1)),
                    m.group(2) == null ? 1 : Float.parseFloat(m.group(2)), m.group(3) == null ? PAPER_CROP : Integer.parseInt(m.group(3))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model " + id + ": a number in it is too large; " + ID + "-CLASSES-wWIDTH-iSIZE, e.g. googlenet-10-w0.25-i96", e);
        }
    }

    @Override
    public String id() {
        return ID + (classes == 1000 ? "" : "-" + classes) + (width == 1 ? "" : "-w" + plain(width)) + (crop == PAPER_CROP ? "" : "-i" + crop);
    }

    /** {@code 0.25}, {@code 0.0001}: the shortest decimal that reads back as the same float, without an exponent. */
    static String plain(float x) {
        return new BigDecimal(Float.toString(x)).stripTrailingZeros().toPlainString();
    }

    @Override public String change() {
        return "GoogLeNet (Szegedy et al. 2014), Table 1: 9 inception modules, global average pooling, dropout 0.4, no auxiliary classifiers"
                + (width == 1 ? "" : "; width " + plain(width)) + "; " + crop + "x" + crop + " input; " + classes + " classes";
    }
    @Override public GoogLeNet withClasses(int classes) { return new GoogLeNet(classes, width, crop); }
    public GoogLeNet withWidth(float width) { return new GoogLeNet(classes, width, crop); }
    public GoogLeNet withCrop(int crop) { return new GoogLeNet(classes, width, crop); }
    /** Images are rescaled to 8/7 of the crop, 256 for 224, as AlexNet crops 227 of 256. */
    @Override public int imageSide() { return Math.round(crop * 8 / 7f); }
    @Override public float eta() { return 0.01f; }
    @Override public float lambda() { return 0.0002f; }
    @Override public int epochs() { return 60; }
    @Override public int batch() { return 32; }
    @Override public float momentum() { return 0.9f; }
    /** 4 % lower every 8 epochs. */
    @Override public dev.nndl.network.train.Schedule schedule() { return dev.nndl.network.train.Schedule.parse("step:0.96:8"); }
    @Override public double publishedAccuracy() { return Double.NaN; }
    @Override public String publishedBy() { return ""; }

    /**
     * Table 1 with every convolution's and inception branch's channels times {@link #width}, the
     * input {@link #crop} square, the last average pool as large as its input and the output
     * layer of {@link #classes}.
     */
    @Override
    public Architecture architecture() {
        Architecture paper = Architecture.googLeNet();
        List<Layer> layers = new ArrayList<>();
        Layer.Dims in = new Layer.Dims(3, crop, crop);
        for (Layer layer : paper.layers()) {
            Layer scaled = switch (layer) {
                case Layer.Conv c -> new Layer.Conv(c.name(), channels(c.filters()), c.k(), c.stride(), c.pad(), c.dilation(), c.groups(), c.activation());
                case Layer.Inception i -> new Layer.Inception(i.name(), channels(i.n1x1()), channels(i.n3x3reduce()), channels(i.n3x3()),
                        channels(i.n5x5reduce()), channels(i.n5x5()), channels(i.poolProj()));
                case Layer.Pool p when p.kind().equals("avg") -> new Layer.Pool(p.name(), "avg", in.h(), 1, 0);
                case Layer.FullyConnected f -> new Layer.FullyConnected(f.name(), classes, f.activation());
                default -> layer;
            };
            layers.add(scaled);
            in = scaled.apply(in);
        }
        String description = paper.description().replace("224x224", crop + "x" + crop) + (width == 1 ? "" : ", width " + plain(width))
                + ", global average pooling, " + classes + " classes";
        return new Architecture(id(), description, new Layer.Dims(3, crop, crop), layers);
    }

    /** {@code n} channels times the width, at least 1. */
    private int channels(int n) {
        return Math.max(1, Math.round(width * n));
    }

    @Override
    public String toString() {
        return id();
    }
}
