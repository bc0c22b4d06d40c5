package dev.nndl.spi;

/**
 * The counter-based random numbers behind dropout: the draw for element {@code index} under
 * {@code seed} is a pure function of the two, so every backend, thread and work-item that needs
 * it computes the same mask without sharing any state.
 *
 * <p>The function is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014) evaluated at counter {@code index}: the state is
 * {@code seed + (index + 1) * 0x9E3779B97F4A7C15} and the output is SplitMix64's finaliser of it.
 * The top 24 bits make a float in {@code [0, 1)} with every value a multiple of {@code 2^-24}, so
 * the float comparison {@code u >= p} is exact on every device. A device kernel reimplements
 * {@link #bits} with 64-bit unsigned arithmetic (OpenCL {@code ulong}) and must match it bit for
 * bit; the conformance suite checks the masks.
 */
public final class DropoutRng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private DropoutRng() {}

    /** 64 random bits for element {@code index} under {@code seed}. */
    public static long bits(long seed, long index) {
        long z = seed + (index + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform float in {@code [0, 1)}: the top 24 bits of {@link #bits} times {@code 2^-24}. */
    public static float uniform(long seed, long index) {
        return (bits(seed, index) >>> 40) * 0x1.0p-24f;
    }

    /** Whether dropout with drop probability {@code p} keeps element {@code index}: {@code uniform >= p}. */
    public static boolean keep(long seed, long index, float p) {
        return uniform(seed, index) >= p;
    }
}
