package dev.nndl.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shape every CPU kernel uses, fixed when the class loads so the JIT can treat it as a
 * constant: the machine's widest ({@code FloatVector.SPECIES_PREFERRED}) up to 256 bits, or the
 * width forced with {@code -Dnndl.cpu.vectorBits=128|256|512}, or the machine's widest whatever it
 * is with {@code preferred}.
 *
 * <p>Why not 512 bits where the CPU has them: on an AVX-512 Xeon the v3 training step at
 * mini-batch 10 took 4.06 ms with 512-bit vectors against 3.10 ms with 256-bit ones (measured at
 * c7223a9). The ladder's rows (24 and 8 outputs wide) are not whole 16-float vectors, so the
 * direct convolutions fall back to packed GEMMs at 512 bits, and the GEMM's pre-broadcast A strip
 * ({@code 6 x 128 x L} floats) outgrows a 32 KiB L1 at {@code L = 16}.
 */
final class Species {

    /** The system property that forces a vector width. */
    static final String PROPERTY = "nndl.cpu.vectorBits";

    /**
     * Falls back to the default for a bad property value rather than throw: a class whose
     * initialiser threw is unusable for the rest of the JVM, and the provider could not report the
     * problem. The provider and {@link CpuKernels}' constructor check the value with {@link #choose}.
     */
    static final VectorSpecies<Float> FLOAT = chooseOrDefault(System.getProperty(PROPERTY));

    /** The system property that keeps every kernel at {@link #FLOAT}'s width: {@code -Dnndl.cpu.wideLanes=false}. */
    static final String WIDE_PROPERTY = "nndl.cpu.wideLanes";

    /**
     * The vectors of the kernels that put channels in the lanes ({@link WideLanes}) and of the
     * fused dense step's whole blocks ({@link DenseStep}, a column a lane): the machine's
     * widest, 512 bits on AVX-512 CPUs whatever {@link #FLOAT} is, since there the rows that kept
     * {@link #FLOAT} at 256 bits are not in the lanes. {@code -Dnndl.cpu.wideLanes=false} keeps
     * them at {@link #FLOAT}, for CPUs that run 512-bit vectors at half the rate.
     */
    static final VectorSpecies<Float> WIDE = wideOrDefault(System.getProperty(WIDE_PROPERTY)) ? FloatVector.SPECIES_PREFERRED : FLOAT;

    private Species() {}

    private static VectorSpecies<Float> chooseOrDefault(String bits) {
        try {
            return choose(bits);
        } catch (IllegalArgumentException e) {
            return choose(null);
        }
    }

    private static boolean wideOrDefault(String value) {
        try {
            return wide(value);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** Whether the channels-in-lanes kernels and the fused dense step take the machine's widest vectors: unset or {@code true}, yes; {@code false}, no; throws naming the problem for anything else. */
    static boolean wide(String value) {
        if (value == null || value.isBlank() || value.trim().equals("true")) return true;
        if (value.trim().equals("false")) return false;
        throw new IllegalArgumentException("-D" + WIDE_PROPERTY + "=" + value + " is neither true nor false; use false to keep the channels-in-lanes "
                + "convolutions and the fused dense step at -D" + PROPERTY + "'s width");
    }

    /** The species for a requested width, or the preferred one; throws naming the problem for a width the CPU lacks. */
    static VectorSpecies<Float> choose(String bits) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (bits == null || bits.isBlank()) return preferred.vectorBitSize() > 256 ? FloatVector.SPECIES_256 : preferred;
        VectorSpecies<Float> wanted = switch (bits.trim()) {
            case "preferred" -> preferred;
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + bits + " is not a vector width; use 128, 256, 512 or preferred");
        };
        if (wanted.vectorBitSize() > preferred.vectorBitSize()) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + bits + " is wider than this CPU's " + preferred.vectorBitSize()
                    + "-bit vectors; the Vector API would emulate it slowly. Use at most " + preferred.vectorBitSize());
        }
        return wanted;
    }
}
