package dev.nndl.network;

import dev.nndl.network.layer.Activation;
import dev.nndl.network.layer.ConvLayer;
import dev.nndl.network.layer.DenseLayer;
import dev.nndl.network.layer.InceptionLayer;
import dev.nndl.network.layer.Layer;
import dev.nndl.network.layer.LrnLayer;
import dev.nndl.network.layer.PoolLayer;
import dev.nndl.network.layer.RecurrentLayer;
import dev.nndl.shape.Architecture;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.KernelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A trainable {@link Network} from a shape table ({@link Architecture}): AlexNet as the seed gives
 * it, or any stack {@code nndl shapes --input ...} accepts. Row by row: a convolution becomes a
 * {@link ConvLayer} (grouped where the row says so), max or average pooling a {@link PoolLayer},
 * an inception module an {@link InceptionLayer}, an RNN or LSTM a {@link RecurrentLayer} (its input's rows the steps), LRN an {@link LrnLayer} with AlexNet's constants (k = 2, alpha = 1e-4, beta = 0.75; the row gives
 * the window), a fully connected row a {@link DenseLayer}, and a dropout row the dropout of the
 * fully connected layer after it (network3's placement: on that layer's input). The last row
 * must be the softmax.
 */
public final class Networks {

    /** AlexNet's LRN constants (Krizhevsky et al. 2012, section 3.3). */
    public static final float LRN_K = 2, LRN_ALPHA = 1e-4f, LRN_BETA = 0.75f;

    private Networks() {}

    /** The network of {@code architecture} at mini-batch {@code batch}, weights drawn from {@code seed}. */
    public static Network of(Architecture architecture, KernelSet k, int batch, long seed) {
        return of(architecture, k, batch, seed, 0);
    }

    /** As {@link #of(Architecture, KernelSet, int, long)}, its gradient clipped to a norm of {@code clip} in every step (0: not clipped). */
    public static Network of(Architecture architecture, KernelSet k, int batch, long seed, float clip) {
        Random random = new Random(seed);
        List<Layer> layers = new ArrayList<>();
        List<Architecture.Row> rows = architecture.table();
        float dropout = 0;
        for (Architecture.Row row : rows) {
            var in = row.in();
            String where = architecture.name() + " layer " + row.index() + " (" + row.layer().name() + ", " + row.layer().describe() + ")";
            switch (row.layer()) {
                case dev.nndl.shape.Layer.Conv c -> layers.add(new ConvLayer(k, new ConvShape(batch, in.c(), in.h(), in.w(), c.filters(), c.k(), c.k(),
                        c.stride(), c.stride(), c.pad(), c.pad(), c.dilation(), c.dilation(), c.groups()), activation(c.activation(), where), random));
                case dev.nndl.shape.Layer.Pool p -> {
                    PoolLayer.Kind kind = switch (p.kind()) {
                        case "max" -> PoolLayer.Kind.MAX;
                        case "avg" -> PoolLayer.Kind.AVERAGE;
                        default -> throw new IllegalArgumentException(where + ": " + p.kind() + "-pooling is not trainable here; use max or avg");
                    };
                    layers.add(new PoolLayer(k, new PoolShape(batch, in.c(), in.h(), in.w(), p.k(), p.k(), p.stride(), p.stride(), p.pad(), p.pad(),
                            p.excludePadding()), kind));
                }
                case dev.nndl.shape.Layer.Inception i -> layers.add(new InceptionLayer(k, new TensorShape(batch, in.c(), in.h(), in.w()), i, random));
                case dev.nndl.shape.Layer.Recurrent r -> layers.add(new RecurrentLayer(k, new RecurrentShape(r.cell(), in.h(), batch, in.w(), r.hidden()), random));
                case dev.nndl.shape.Layer.Lrn l -> layers.add(new LrnLayer(k, new LrnShape(batch, in.c(), in.h(), in.w(), l.size(), LRN_ALPHA, LRN_BETA, LRN_K)));
                case dev.nndl.shape.Layer.Dropout d -> {
                    if (dropout != 0) throw new IllegalArgumentException(where + ": two dropouts in a row");
                    dropout = d.p();
                }
                case dev.nndl.shape.Layer.FullyConnected f -> {
                    boolean last = row.index() == rows.size();
                    if (f.activation().equals("softmax") != last) {
                        throw new IllegalArgumentException(where + ": the softmax must be the last layer, and the last layer a softmax");
                    }
                    FcShape shape = new FcShape(batch, (int) in.size(), f.out());
                    layers.add(new DenseLayer(k, shape, last ? null : activation(f.activation(), where), dropout, random));
                    dropout = 0;
                }
            }
            if (dropout != 0 && !(row.layer() instanceof dev.nndl.shape.Layer.Dropout)) {
                throw new IllegalArgumentException(where + ": dropout applies to the input of a fully connected layer, and none follows it");
            }
        }
        if (rows.isEmpty() || !(rows.getLast().layer() instanceof dev.nndl.shape.Layer.FullyConnected)) {
            throw new IllegalArgumentException(architecture.name() + ": a trainable network ends in a softmax layer");
        }
        return new Network(k, layers, batch, (int) architecture.output().size(), clip);
    }

    private static Activation activation(String name, String where) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "relu" -> Activation.RELU;
            case "sigmoid" -> Activation.SIGMOID;
            case "tanh" -> Activation.TANH;
            default -> throw new IllegalArgumentException(where + ": activation '" + name + "' is not trainable here; use relu, sigmoid or tanh");
        };
    }
}
