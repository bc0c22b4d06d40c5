package dev.nndl.spi;

import java.util.Objects;

/**
 * The ten families a backend implements, as {@link KernelSet#families()} hands them out. A backend
 * that starts from another one replaces families with the {@code with} methods:
 * {@code reference.families().with(myConvolution)}.
 */
public record Families(Convolution convolution, Pooling pooling, Dense dense, Activations activations, Costs costs,
                       Regularisation regularisation, Normalisation normalisation, Composition composition, Recurrent recurrent,
                       Update update) {

    public Families {
        Objects.requireNonNull(convolution, "convolution");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(dense, "dense");
        Objects.requireNonNull(activations, "activations");
        Objects.requireNonNull(costs, "costs");
        Objects.requireNonNull(regularisation, "regularisation");
        Objects.requireNonNull(normalisation, "normalisation");
        Objects.requireNonNull(composition, "composition");
        Objects.requireNonNull(recurrent, "recurrent");
        Objects.requireNonNull(update, "update");
    }

    public Families with(Convolution c) { return new Families(c, pooling, dense, activations, costs, regularisation, normalisation, composition, recurrent, update); }
    public Families with(Pooling p) { return new Families(convolution, p, dense, activations, costs, regularisation, normalisation, composition, recurrent, update); }
    public Families with(Dense d) { return new Families(convolution, pooling, d, activations, costs, regularisation, normalisation, composition, recurrent, update); }
    public Families with(Activations a) { return new Families(convolution, pooling, dense, a, costs, regularisation, normalisation, composition, recurrent, update); }
    public Families with(Costs c) { return new Families(convolution, pooling, dense, activations, c, regularisation, normalisation, composition, recurrent, update); }
    public Families with(Regularisation r) { return new Families(convolution, pooling, dense, activations, costs, r, normalisation, composition, recurrent, update); }
    public Families with(Normalisation n) { return new Families(convolution, pooling, dense, activations, costs, regularisation, n, composition, recurrent, update); }
    public Families with(Composition c) { return new Families(convolution, pooling, dense, activations, costs, regularisation, normalisation, c, recurrent, update); }
    public Families with(Recurrent r) { return new Families(convolution, pooling, dense, activations, costs, regularisation, normalisation, composition, r, update); }
    public Families with(Update u) { return new Families(convolution, pooling, dense, activations, costs, regularisation, normalisation, composition, recurrent, u); }
}
