package dev.nndl.shape;

/** Element counts of flat arrays, checked to fit in a Java array index. */
final class Sizes {

    private Sizes() {}

    static int product(String what, int... factors) {
        long p = 1;
        for (int f : factors) {
            p *= f;
            if (p > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(what + " has more elements than a Java array can hold");
            }
        }
        return (int) p;
    }
}
