package dev.nndl.testing;

import java.util.Random;

/** A generated case: a shape record and the seed of its random data. */
public record Case<S>(S shape, long seed) {

    /** A fresh random source for this case's data. */
    public Random random() {
        return new Random(seed);
    }

    @Override
    public String toString() {
        return shape + " (data seed " + seed + ")";
    }
}
