package dev.nndl.shape;

import dev.nndl.shape.Layer.Conv;
import dev.nndl.shape.Layer.Dims;
import dev.nndl.shape.Layer.Dropout;
import dev.nndl.shape.Layer.FullyConnected;
import dev.nndl.shape.Layer.Inception;
import dev.nndl.shape.Layer.Lrn;
import dev.nndl.shape.Layer.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A network as a list of layers over an input of {@code c x h x w}, and its shape table: each
 * layer's input and output dimensions and parameter count, with the guide's relationship behind
 * each size. The built-in networks are the seed's: LeNet-5, AlexNet, GoogLeNet and Nielsen's ladder.
 */
public record Architecture(String name, String description, Dims input, List<Layer> layers) {

    public Architecture {
        layers = List.copyOf(layers);
    }

    /** One row of the shape table. */
    public record Row(int index, Layer layer, Dims in, Dims out, long params, String arithmetic) {}

    /** The shape table; throws {@link IllegalArgumentException} naming the layer whose input does not fit. */
    public List<Row> table() {
        List<Row> rows = new ArrayList<>();
        Dims in = input;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Dims out;
            try {
                out = layer.apply(in);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + (i + 1) + " (" + layer.name() + ", " + layer.describe()
                        + ") does not fit its input " + in + ": " + e.getMessage(), e);
            }
            rows.add(new Row(i + 1, layer, in, out, layer.params(in), layer.arithmetic(in)));
            in = out;
        }
        return rows;
    }

    public long totalParams() {
        return table().stream().mapToLong(Row::params).sum();
    }

    public Dims output() {
        List<Row> rows = table();
        return rows.isEmpty() ? input : rows.getLast().out();
    }

    // ---------------------------------------------------------------- the seed's networks

    private static final Map<String, Supplier<Architecture>> BUILT_IN = new LinkedHashMap<>();

    static {
        BUILT_IN.put("lenet5", Architecture::leNet5);
        BUILT_IN.put("alexnet", Architecture::alexNet);
        BUILT_IN.put("googlenet", Architecture::googLeNet);
        for (int rung = 0; rung <= 6; rung++) {
            int r = rung;
            BUILT_IN.put("v" + rung, () -> nielsen(r));
        }
    }

    /** The names {@link #builtIn} knows. */
    public static List<String> builtInNames() {
        return List.copyOf(BUILT_IN.keySet());
    }

    /** A built-in network by name: {@code lenet5}, {@code alexnet}, {@code googlenet}, {@code v0} ... {@code v6}. */
    public static Architecture builtIn(String name) {
        Supplier<Architecture> net = BUILT_IN.get(name.toLowerCase(Locale.ROOT));
        if (net == null) {
            throw new IllegalArgumentException("no built-in network '" + name + "'; known: " + String.join(", ", BUILT_IN.keySet()));
        }
        return net.get();
    }

    /** LeNet-5 as the seed's appendix table gives it (subsampling counted with no parameters, as the table does). */
    public static Architecture leNet5() {
        return new Architecture("lenet5", "LeNet-5 (LeCun et al. 1998), its subsampling without parameters; MNIST padded to 32x32",
                new Dims(1, 32, 32), List.of(
                new Conv("C1", 6, 5, 1, 0, 1, 1, "tanh"),
                new Pool("S2", "avg", 2, 2, 0),
                new Conv("C3", 16, 5, 1, 0, 1, 1, "tanh"),
                new Pool("S4", "avg", 2, 2, 0),
                new Conv("C5", 120, 5, 1, 0, 1, 1, "tanh"),
                new FullyConnected("F6", 84, "tanh"),
                new FullyConnected("output", 10, "softmax")));
    }

    /**
     * AlexNet (Krizhevsky et al. 2012) with its two-GPU split as groups of 2 in conv2, conv4 and
     * conv5, which gives the paper's 60,965,224 parameters. (The seed's table, from
     * theano_alexnet, runs conv2 ungrouped: the same shapes, 614,656 parameters in conv2 instead
     * of 307,456.)
     */
    public static Architecture alexNet() {
        return new Architecture("alexnet", "AlexNet (Krizhevsky et al. 2012), two-GPU split as groups=2 in conv2, conv4, conv5",
                new Dims(3, 227, 227), List.of(
                new Conv("conv1", 96, 11, 4, 0, 1, 1, "relu"),
                new Lrn("norm1", 5),
                new Pool("pool1", "max", 3, 2, 0),
                new Conv("conv2", 256, 5, 1, 2, 1, 2, "relu"),
                new Lrn("norm2", 5),
                new Pool("pool2", "max", 3, 2, 0),
                new Conv("conv3", 384, 3, 1, 1, 1, 1, "relu"),
                new Conv("conv4", 384, 3, 1, 1, 1, 2, "relu"),
                new Conv("conv5", 256, 3, 1, 1, 1, 2, "relu"),
                new Pool("pool5", "max", 3, 2, 0),
                new FullyConnected("fc6", 4096, "relu"),
                new Dropout("drop6", 0.5f),
                new FullyConnected("fc7", 4096, "relu"),
                new Dropout("drop7", 0.5f),
                new FullyConnected("fc8", 1000, "softmax")));
    }

    /**
     * GoogLeNet (Szegedy et al. 2014, "Going deeper with convolutions"), row by row as its Table 1
     * gives it: 22 layers with parameters (the table's "depth" column: two per inception module),
     * nine inception modules, 224x224 RGB input. Max pooling of 3x3 stride 2 is padded by 1, which
     * gives the table's sizes (Caffe rounds up instead; the two agree here). Table 1 lists neither
     * the two LRN layers of the released model nor the auxiliary classifiers used only in training,
     * and neither appears here. Parameters are counted from the branch widths, biases included:
     * 7.0 million, where the paper says about 6.8; its "params" column disagrees with its own widths
     * in a few rows (conv1: 2.7K against 7x7x3x64 = 9.4K weights; 4c: 463K against 498K).
     */
    public static Architecture googLeNet() {
        return new Architecture("googlenet", "GoogLeNet (Szegedy et al. 2014), Table 1: nine inception modules, 224x224 RGB input",
                new Dims(3, 224, 224), List.of(
                new Conv("conv1", 64, 7, 2, 3, 1, 1, "relu"),
                new Pool("pool1", "max", 3, 2, 1),
                new Conv("conv2-reduce", 64, 1, 1, 0, 1, 1, "relu"),
                new Conv("conv2", 192, 3, 1, 1, 1, 1, "relu"),
                new Pool("pool2", "max", 3, 2, 1),
                new Inception("3a", 64, 96, 128, 16, 32, 32),
                new Inception("3b", 128, 128, 192, 32, 96, 64),
                new Pool("pool3", "max", 3, 2, 1),
                new Inception("4a", 192, 96, 208, 16, 48, 64),
                new Inception("4b", 160, 112, 224, 24, 64, 64),
                new Inception("4c", 128, 128, 256, 24, 64, 64),
                new Inception("4d", 112, 144, 288, 32, 64, 64),
                new Inception("4e", 256, 160, 320, 32, 128, 128),
                new Pool("pool4", "max", 3, 2, 1),
                new Inception("5a", 256, 160, 320, 32, 128, 128),
                new Inception("5b", 384, 192, 384, 48, 128, 128),
                new Pool("pool5", "avg", 7, 1, 0),
                new Dropout("drop", 0.4f),
                new FullyConnected("linear", 1000, "softmax")));
    }

    private static final String[] NIELSEN = {
        "v0: FC 784-100 sigmoid, softmax 10 (Nielsen: 97.80 %)",
        "v1: conv 20x5x5 + max-pool 2, FC 100 sigmoid, softmax (Nielsen: 98.78 %)",
        "v2: v1 + conv 40x5x5 + max-pool 2 (Nielsen: 99.06 %)",
        "v3: v2 with ReLU, L2 lambda 0.1 (Nielsen: 99.23 %)",
        "v4: v3 on the expanded data, 250,000 images (Nielsen: 99.37 %)",
        "v5: v4 + FC 100 ReLU (Nielsen: 99.43 %)",
        "v6: conv, conv, FC 1000, FC 1000, dropout 0.5 on the FC and softmax inputs (Nielsen: 99.60 %)",
    };

    /** Nielsen's ladder, rung 0 to 6 (network3.py); conv-pool layers appear as a conv row and a pool row. */
    public static Architecture nielsen(int rung) {
        if (rung < 0 || rung > 6) throw new IllegalArgumentException("Nielsen's ladder has rungs v0 to v6, not v" + rung);
        String act = rung <= 2 ? "sigmoid" : "relu";
        List<Layer> layers = new ArrayList<>();
        if (rung >= 1) {
            layers.add(new Conv("conv1", 20, 5, 1, 0, 1, 1, act));
            layers.add(new Pool("pool1", "max", 2, 2, 0));
        }
        if (rung >= 2) {
            layers.add(new Conv("conv2", 40, 5, 1, 0, 1, 1, act));
            layers.add(new Pool("pool2", "max", 2, 2, 0));
        }
        if (rung == 6) {
            layers.add(new Dropout("drop1", 0.5f));
            layers.add(new FullyConnected("fc1", 1000, act));
            layers.add(new Dropout("drop2", 0.5f));
            layers.add(new FullyConnected("fc2", 1000, act));
            layers.add(new Dropout("drop3", 0.5f));
        } else {
            layers.add(new FullyConnected("fc1", 100, act));
            if (rung == 5) layers.add(new FullyConnected("fc2", 100, act));
        }
        layers.add(new FullyConnected("softmax", 10, "softmax"));
        return new Architecture("v" + rung, "Nielsen's " + NIELSEN[rung], new Dims(1, 28, 28), layers);
    }

    // ---------------------------------------------------------------- layers from the command line

    /**
     * A network from an input such as {@code 1x28x28} and layer specs:
     * {@code conv:FILTERS:K[:sS][:pP][:dD][:gG][:ACT]}, {@code pool:K[:sS][:pP]} (max),
     * {@code avgpool:...}, {@code lppool:...}, {@code fc:N[:ACT]}, {@code softmax:N},
     * {@code lrn[:SIZE]}, {@code dropout[:P]}, {@code inception:1X1:3X3R:3X3:5X5R:5X5:PROJ}; ACT is
     * relu, sigmoid or tanh.
     */
    public static Architecture parse(String input, List<String> specs) {
        String[] dims = input.toLowerCase(Locale.ROOT).split("x");
        Dims in;
        try {
            in = switch (dims.length) {
                case 1 -> new Dims(1, 1, Integer.parseInt(dims[0]));
                case 2 -> new Dims(1, Integer.parseInt(dims[0]), Integer.parseInt(dims[1]));
                case 3 -> new Dims(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]));
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("input '" + input + "' is not CxHxW (e.g. 1x28x28 or 3x227x227)");
        }
        if (in.c() < 1 || in.h() < 1 || in.w() < 1) throw new IllegalArgumentException("input '" + input + "' must be positive in every dimension");
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) layers.add(LayerSpec.parse(specs.get(i), i + 1));
        return new Architecture("custom", "layers from the command line", in, layers);
    }
}
