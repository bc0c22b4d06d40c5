package dev.nndl.shape;

import java.util.Locale;

/**
 * One layer of a network as far as shapes are concerned: what it does to a sample's
 * {@code c x h x w} and how many parameters it has. {@link Architecture} chains them into a table.
 */
public sealed interface Layer {

    /** A sample's dimensions: channels x height x width (a vector of n features is n x 1 x 1). */
    record Dims(int c, int h, int w) {
        public long size() {
            return (long) c * h * w;
        }

        @Override
        public String toString() {
            return h == 1 && w == 1 ? String.valueOf(c) : c + "x" + h + "x" + w;
        }
    }

    /** The layer's name in tables, e.g. {@code C1} or {@code conv2}. */
    String name();

    /** The output dimensions for input {@code in}; throws naming the rule when the input does not fit. */
    Dims apply(Dims in);

    /** Trainable parameters (weights and biases) for input {@code in}. */
    long params(Dims in);

    /** What the layer is, e.g. {@code conv 20@5x5 s1 p0 relu}. */
    String describe();

    /** The guide's relationship behind the output size, or a short note. */
    default String arithmetic(Dims in) {
        return "";
    }

    /** A convolution of {@code filters} kernels of {@code k x k}; bias per filter. */
    record Conv(String name, int filters, int k, int stride, int pad, int dilation, int groups, String activation) implements Layer {
        @Override public Dims apply(Dims in) {
            ConvShape s = new ConvShape(1, in.c(), in.h(), in.w(), filters, k, k, stride, stride, pad, pad, dilation, dilation, groups);
            return new Dims(filters, s.oh(), s.ow());
        }
        @Override public long params(Dims in) {
            return ConvArithmetic.convParams(in.c(), filters, k, k, groups);
        }
        @Override public String describe() {
            return String.format("conv %d@%dx%d s%d p%d%s%s%s", filters, k, k, stride, pad,
                    dilation == 1 ? "" : " d" + dilation, groups == 1 ? "" : " g" + groups, activation.isEmpty() ? "" : " " + activation);
        }
        @Override public String arithmetic(Dims in) {
            return Relationship.mostSpecific(Relationship.Kind.CONV, k, stride, pad, dilation, 0)
                    .map(r -> "rel. " + r.number() + ": " + r.formula()).orElse("");
        }
    }

    /** Max, average or L^p pooling over {@code k x k} windows; no parameters. */
    record Pool(String name, String kind, int k, int stride, int pad, boolean excludePadding) implements Layer {
        public Pool {
            if (excludePadding && !kind.equals("avg")) throw new IllegalArgumentException("only average pooling can exclude its padding");
        }
        public Pool(String name, String kind, int k, int stride, int pad) {
            this(name, kind, k, stride, pad, false);
        }
        @Override public Dims apply(Dims in) {
            PoolShape s = new PoolShape(1, in.c(), in.h(), in.w(), k, k, stride, stride, pad, pad, excludePadding);
            return new Dims(in.c(), s.oh(), s.ow());
        }
        @Override public long params(Dims in) {
            return 0;
        }
        @Override public String describe() {
            return String.format("%s-pool %dx%d s%d%s%s", kind, k, k, stride, pad == 0 ? "" : " p" + pad, excludePadding ? " excl. pad" : "");
        }
        @Override public String arithmetic(Dims in) {
            return Relationship.mostSpecific(Relationship.Kind.POOL, k, stride, pad, 1, 0)
                    .map(r -> "rel. " + r.number() + ": " + r.formula()).orElse("");
        }
    }

    /** A fully connected layer of {@code out} neurons over the flattened input; with {@code softmax} it is the output layer. */
    record FullyConnected(String name, int out, String activation) implements Layer {
        @Override public Dims apply(Dims in) {
            if (in.size() > Integer.MAX_VALUE) throw new IllegalArgumentException(name + ": input of " + in.size() + " features is too large");
            return new Dims(out, 1, 1);
        }
        @Override public long params(Dims in) {
            return ConvArithmetic.fcParams((int) in.size(), out);
        }
        @Override public String describe() {
            return "fc " + out + (activation.isEmpty() ? "" : " " + activation);
        }
        @Override public String arithmetic(Dims in) {
            return "(" + in.size() + " + 1) x " + out;
        }
    }

    /** Local response normalisation across {@code size} channels (AlexNet's form); shape and parameters unchanged. */
    record Lrn(String name, int size) implements Layer {
        @Override public Dims apply(Dims in) { return in; }
        @Override public long params(Dims in) { return 0; }
        @Override public String describe() { return "lrn size " + size; }
    }

    /** Dropout with drop probability {@code p}; shape and parameters unchanged. */
    record Dropout(String name, float p) implements Layer {
        @Override public Dims apply(Dims in) { return in; }
        @Override public long params(Dims in) { return 0; }
        @Override public String describe() { return String.format(Locale.ROOT, "dropout p=%s", p); }
    }
    /**
     * A recurrent layer (an RNN or LSTM {@code cell} of {@code hidden} units) run over a sequence
     * of {@code 1 x steps x features}, a sample's rows its time steps; its output is the last
     * step's hidden state. Parameters as {@link RecurrentShape} packs them:
     * {@code G*hidden x (features + hidden + 1)}, one bias per gate row.
     */
    record Recurrent(String name, RecurrentShape.Cell cell, int hidden) implements Layer {
        public Recurrent {
            if (cell == null) throw new IllegalArgumentException(name + ": a recurrent layer needs a cell, RNN or LSTM");
            if (hidden < 1) throw new IllegalArgumentException(name + ": a recurrent layer needs at least 1 hidden unit, not " + hidden);
        }
        @Override public Dims apply(Dims in) {
            if (in.c() != 1) throw new IllegalArgumentException(name + ": a recurrent layer reads a sequence 1 x STEPS x FEATURES, not " + in);
            return new Dims(hidden, 1, 1);
        }
        @Override public long params(Dims in) {
            return (long) cell.gates() * hidden * (in.w() + hidden + 1);
        }
        @Override public String describe() {
            return cell.name().toLowerCase(Locale.ROOT) + " " + hidden + ", last step";
        }
        @Override public String arithmetic(Dims in) {
            return (cell.gates() == 1 ? "" : cell.gates() + " x ") + hidden + " x (" + in.w() + " + " + hidden + " + 1), over " + in.h() + " steps";
        }
    }

    /**
     * GoogLeNet's inception module (Szegedy et al. 2014, figure 2b): four branches over the same
     * input, concatenated on channels: a 1x1 convolution; a 1x1 reduction then a 3x3; a 1x1
     * reduction then a 5x5; and a 3x3 stride-1 max pooling then a 1x1 projection. Every
     * convolution is ReLU'd and padded to keep the input's size (half padding, the guide's
     * relationship 3), so the output has the input's height and width and
     * {@code n1x1 + n3x3 + n5x5 + poolProj} channels. The fields are Table 1's columns.
     */
    record Inception(String name, int n1x1, int n3x3reduce, int n3x3, int n5x5reduce, int n5x5, int poolProj) implements Layer {
        public Inception {
            for (int width : new int[] {n1x1, n3x3reduce, n3x3, n5x5reduce, n5x5, poolProj}) {
                if (width < 1) throw new IllegalArgumentException(name + ": every branch of an inception module needs at least 1 filter");
            }
        }
        @Override public Dims apply(Dims in) {
            new Conv(name, n5x5, 5, 1, 2, 1, 1, "relu").apply(in);  // the largest kernel must fit
            return new Dims(channels(), in.h(), in.w());
        }
        @Override public long params(Dims in) {
            int c = in.c();
            return ConvArithmetic.convParams(c, n1x1, 1, 1, 1)
                    + ConvArithmetic.convParams(c, n3x3reduce, 1, 1, 1) + ConvArithmetic.convParams(n3x3reduce, n3x3, 3, 3, 1)
                    + ConvArithmetic.convParams(c, n5x5reduce, 1, 1, 1) + ConvArithmetic.convParams(n5x5reduce, n5x5, 5, 5, 1)
                    + ConvArithmetic.convParams(c, poolProj, 1, 1, 1);
        }
        /** The output's channels: the four branches' together. */
        public int channels() {
            return n1x1 + n3x3 + n5x5 + poolProj;
        }
        @Override public String describe() {
            return String.format("inception 1x1 %d | %d>3x3 %d | %d>5x5 %d | pool>%d", n1x1, n3x3reduce, n3x3, n5x5reduce, n5x5, poolProj);
        }
        @Override public String arithmetic(Dims in) {
            return "rel. 3 in every branch: o = i; " + n1x1 + " + " + n3x3 + " + " + n5x5 + " + " + poolProj + " channels";
        }
    }
}
