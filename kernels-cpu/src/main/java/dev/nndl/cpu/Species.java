package dev.nndl.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shape every CPU kernel uses, fixed when the class loads so the JIT can treat it as a
 * constant: the machine's widest ({@code FloatVector.SPECIES_PREFERRED}), or a narrower one forced
 * with the test knob {@code -Dnndl.cpu.vectorBits=128|256|512}.
 */
final class Species {

    /** The system property that forces a vector width. */
    static final String PROPERTY = "nndl.cpu.vectorBits";

    static final VectorSpecies<Float> FLOAT = choose(System.getProperty(PROPERTY));

    private Species() {}

    /** The species for a requested width, or the preferred one; throws naming the problem for a width the CPU lacks. */
    static VectorSpecies<Float> choose(String bits) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (bits == null || bits.isBlank()) return preferred;
        VectorSpecies<Float> wanted = switch (bits.trim()) {
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + bits + " is not a vector width; use 128, 256 or 512");
        };
        if (wanted.vectorBitSize() > preferred.vectorBitSize()) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + bits + " is wider than this CPU's " + preferred.vectorBitSize()
                    + "-bit vectors; the Vector API would emulate it slowly. Use at most " + preferred.vectorBitSize());
        }
        return wanted;
    }
}
