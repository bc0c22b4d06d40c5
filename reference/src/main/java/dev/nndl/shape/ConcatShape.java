package dev.nndl.shape;

import static dev.nndl.shape.ConvArithmetic.requireAtLeast;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Channel concatenation (GoogLeNet's inception module): {@code parts()} NCHW tensors of
 * {@code n x channels(p) x h x w}, stacked along the channels into one of
 * {@code n x c() x h x w}. Part {@code p} lands at channels {@code offset(p)} to
 * {@code offset(p) + channels(p) - 1} of every sample.
 */
public record ConcatShape(int n, List<Integer> channels, int h, int w) {

    public ConcatShape {
        requireAtLeast("n", n, 1);
        requireAtLeast("h", h, 1);
        requireAtLeast("w", w, 1);
        if (channels == null || channels.isEmpty()) throw new IllegalArgumentException("channels must list at least one part");
        channels = List.copyOf(channels);
        long total = 0;
        for (int p = 0; p < channels.size(); p++) {
            requireAtLeast("channels of part " + p, channels.get(p), 1);
            total += channels.get(p);
        }
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("ConcatShape has more channels than an int holds");
        Sizes.product("ConcatShape n*c*h*w", n, (int) total, h, w);
    }

    public static ConcatShape of(int n, int h, int w, int... channels) {
        return new ConcatShape(n, java.util.Arrays.stream(channels).boxed().toList(), h, w);
    }

    /** The number of parts. */
    public int parts() {
        return channels.size();
    }

    /** Channels of part {@code p}. */
    public int channels(int p) {
        return channels.get(p);
    }

    /** The first output channel of part {@code p}: the channels of the parts before it. */
    public int offset(int p) {
        int offset = 0;
        for (int q = 0; q < p; q++) offset += channels.get(q);
        return offset;
    }

    /** Channels of the concatenation. */
    public int c() {
        return offset(parts());
    }

    public TensorShape output() {
        return new TensorShape(n, c(), h, w);
    }

    public TensorShape part(int p) {
        return new TensorShape(n, channels(p), h, w);
    }

    public int outputSize() {
        return output().size();
    }

    @Override
    public String toString() {
        return "n" + n + "_c" + channels.stream().map(String::valueOf).collect(Collectors.joining("+")) + "_h" + h + "_w" + w;
    }
}
