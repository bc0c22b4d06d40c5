package dev.nndl.shape;

/** Element counts of flat arrays, checked to fit in a Java array index. */
final class Sizes {

    private Sizes() {}

    /** Groups must divide both channel counts: each group maps c/groups channels to oc/groups. */
    static void requireGroups(int groups, int c, int oc) {
        ConvArithmetic.requireAtLeast("groups", groups, 1);
        if (c % groups != 0 || oc % groups != 0) {
            throw new IllegalArgumentException(String.format(
                    "groups=%d must divide both c=%d and oc=%d: each group convolves c/groups input "
                            + "channels into oc/groups output channels", groups, c, oc));
        }
    }

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
