package dev.nndl.shape;

import java.util.Arrays;
import java.util.Optional;

/**
 * The fifteen numbered relationships of Dumoulin and Visin's guide, each with its conditions and
 * its own formula, written as the guide prints it. {@link ConvArithmetic} computes the general
 * case; the tests check that every relationship agrees with it wherever its conditions hold, and
 * the guide's figures pin one example of each.
 *
 * <p>For the transposed relationships (8-14), {@code i} is the transposed convolution's input
 * {@code i'} and the result is its output {@code o'}; {@code k, s, p} describe the associated
 * direct convolution, as in the guide.
 */
public enum Relationship {
    NO_PADDING_UNIT_STRIDES(1, Kind.CONV, "no zero padding, unit strides", "o = (i - k) + 1") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return s == 1 && p == 0 && d == 1; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return (i - k) + 1; }
    },
    ZERO_PADDING_UNIT_STRIDES(2, Kind.CONV, "zero padding, unit strides", "o = (i - k) + 2p + 1") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return s == 1 && d == 1; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return (i - k) + 2L * p + 1; }
    },
    HALF_PADDING_UNIT_STRIDES(3, Kind.CONV, "half (same) padding, unit strides, k odd, p = floor(k/2)", "o = i") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return s == 1 && k % 2 == 1 && p == k / 2 && d == 1; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return i; }
    },
    FULL_PADDING_UNIT_STRIDES(4, Kind.CONV, "full padding, unit strides, p = k - 1", "o = i + (k - 1)") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return s == 1 && p == k - 1 && d == 1; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return i + (k - 1L); }
    },
    NO_PADDING_STRIDES(5, Kind.CONV, "no zero padding, non-unit strides", "o = floor((i - k) / s) + 1") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return p == 0 && d == 1; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return Math.floorDiv(i - k, s) + 1; }
    },
    ZERO_PADDING_STRIDES(6, Kind.CONV, "zero padding, non-unit strides", "o = floor((i + 2p - k) / s) + 1") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return d == 1; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return Math.floorDiv(i + 2L * p - k, s) + 1; }
    },
    POOLING(7, Kind.POOL, "pooling", "o = floor((i - k) / s) + 1") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return p == 0 && d == 1; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return Math.floorDiv(i - k, s) + 1; }
    },
    TRANSPOSED_NO_PADDING_UNIT_STRIDES(8, Kind.TRANSPOSED,
            "no zero padding, unit strides, transposed: k' = k, s' = s, p' = k - 1", "o' = i' + (k - 1)") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return s == 1 && p == 0 && d == 1 && a == 0; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return i + (k - 1L); }
    },
    TRANSPOSED_ZERO_PADDING_UNIT_STRIDES(9, Kind.TRANSPOSED,
            "zero padding, unit strides, transposed: k' = k, s' = s, p' = k - p - 1", "o' = i' + (k - 1) - 2p") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return s == 1 && d == 1 && a == 0; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return i + (k - 1L) - 2L * p; }
    },
    TRANSPOSED_HALF_PADDING_UNIT_STRIDES(10, Kind.TRANSPOSED,
            "half padding, unit strides, transposed: k' = k, s' = s, p' = p", "o' = i'") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return s == 1 && k % 2 == 1 && p == k / 2 && d == 1 && a == 0; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return i; }
    },
    TRANSPOSED_FULL_PADDING_UNIT_STRIDES(11, Kind.TRANSPOSED,
            "full padding, unit strides, transposed: k' = k, s' = s, p' = 0", "o' = i' - (k - 1)") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return s == 1 && p == k - 1 && d == 1 && a == 0; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return i - (k - 1L); }
    },
    TRANSPOSED_NO_PADDING_STRIDES(12, Kind.TRANSPOSED,
            "no zero padding, non-unit strides, transposed: stretched input, k' = k, s' = 1, p' = k - 1",
            "o' = s(i' - 1) + k") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return p == 0 && d == 1 && a == 0; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return (long) s * (i - 1) + k; }
    },
    TRANSPOSED_ZERO_PADDING_STRIDES(13, Kind.TRANSPOSED,
            "zero padding, non-unit strides, transposed: stretched input, k' = k, s' = 1, p' = k - p - 1",
            "o' = s(i' - 1) + k - 2p") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return d == 1 && a == 0; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return (long) s * (i - 1) + k - 2L * p; }
    },
    TRANSPOSED_OUTPUT_PADDING(14, Kind.TRANSPOSED,
            "zero padding, non-unit strides, transposed, a = (i + 2p - k) mod s: stretched input, "
                    + "k' = k, s' = 1, p' = k - p - 1, a zeros added at the end",
            "o' = s(i' - 1) + a + k - 2p") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return d == 1 && a < s; }
        @Override long formula(int i, int k, int s, int p, int d, int a) { return (long) s * (i - 1) + a + k - 2L * p; }
    },
    DILATED(15, Kind.CONV, "dilated convolution", "o = floor((i + 2p - k - (k - 1)(d - 1)) / s) + 1") {
        @Override boolean holds(int k, int s, int p, int d, int a) { return true; }
        @Override long formula(int i, int k, int s, int p, int d, int a) {
            return Math.floorDiv(i + 2L * p - k - (k - 1L) * (d - 1), s) + 1;
        }
    };

    /** What a relationship describes. */
    public enum Kind { CONV, POOL, TRANSPOSED }

    private final int number;
    private final Kind kind;
    private final String title;
    private final String formula;

    Relationship(int number, Kind kind, String title, String formula) {
        this.number = number;
        this.kind = kind;
        this.title = title;
        this.formula = formula;
    }

    public int number() { return number; }
    public Kind kind() { return kind; }
    public String title() { return title; }
    public String formula() { return formula; }

    /** Whether this relationship's conditions hold for kernel k, stride s, padding p, dilation d, output padding a. */
    abstract boolean holds(int k, int s, int p, int d, int a);

    /** The relationship's formula as the guide prints it, unchecked. */
    abstract long formula(int i, int k, int s, int p, int d, int a);

    public boolean appliesTo(int k, int s, int p, int d, int a) {
        return k >= 1 && s >= 1 && p >= 0 && d >= 1 && a >= 0 && holds(k, s, p, d, a);
    }

    /**
     * The output size this relationship gives for input {@code i} ({@code i'} for the transposed
     * ones). Throws, naming the relationship and its conditions, if they do not hold.
     */
    public int output(int i, int k, int s, int p, int d, int a) {
        if (!appliesTo(k, s, p, d, a)) {
            throw new IllegalArgumentException(String.format(
                    "relationship %d (%s) does not apply to k=%d, s=%d, p=%d, d=%d, a=%d", number, title, k, s, p, d, a));
        }
        long o = formula(i, k, s, p, d, a);
        if (o < 1 || o > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(
                    "relationship %d (%s) gives o=%d for i=%d, k=%d, s=%d, p=%d, d=%d, a=%d", number, title, o, i, k, s, p, d, a));
        }
        return (int) o;
    }

    /** The relationship with this number (1-15). */
    public static Relationship number(int number) {
        return Arrays.stream(values()).filter(r -> r.number == number).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the guide numbers its relationships 1 to 15, not " + number));
    }

    /** The most specific relationship of the given kind that describes (k, s, p, d, a), as a reader of the guide would cite it. */
    public static Optional<Relationship> mostSpecific(Kind kind, int k, int s, int p, int d, int a) {
        Relationship[] order = switch (kind) {
            case CONV -> new Relationship[] {NO_PADDING_UNIT_STRIDES, HALF_PADDING_UNIT_STRIDES, FULL_PADDING_UNIT_STRIDES,
                    ZERO_PADDING_UNIT_STRIDES, NO_PADDING_STRIDES, ZERO_PADDING_STRIDES, DILATED};
            case POOL -> new Relationship[] {POOLING, ZERO_PADDING_STRIDES};
            case TRANSPOSED -> new Relationship[] {TRANSPOSED_NO_PADDING_UNIT_STRIDES, TRANSPOSED_HALF_PADDING_UNIT_STRIDES,
                    TRANSPOSED_FULL_PADDING_UNIT_STRIDES, TRANSPOSED_ZERO_PADDING_UNIT_STRIDES, TRANSPOSED_NO_PADDING_STRIDES,
                    TRANSPOSED_ZERO_PADDING_STRIDES, TRANSPOSED_OUTPUT_PADDING};
        };
        return Arrays.stream(order).filter(r -> r.appliesTo(k, s, p, d, a)).findFirst();
    }
}
