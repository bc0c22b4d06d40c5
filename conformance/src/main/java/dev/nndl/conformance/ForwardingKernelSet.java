package dev.nndl.conformance;

import dev.nndl.spi.Activations;
import dev.nndl.spi.Composition;
import dev.nndl.spi.Convolution;
import dev.nndl.spi.Costs;
import dev.nndl.spi.Dense;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.Normalisation;
import dev.nndl.spi.Pooling;
import dev.nndl.spi.Recurrent;
import dev.nndl.spi.Regularisation;
import dev.nndl.spi.Update;

/**
 * A kernel set whose families all come from another one. Subclass it to replace a family, as a
 * backend started from the reference does (the conformance tests' {@code LoopKernels}), or to
 * change one checked operation, as the mutants do.
 */
public abstract class ForwardingKernelSet implements KernelSet {

    protected final KernelSet delegate;

    protected ForwardingKernelSet(KernelSet delegate) {
        this.delegate = delegate;
    }

    @Override public String name() { return delegate.name(); }
    @Override public String device() { return delegate.device(); }
    @Override public int threads() { return delegate.threads(); }
    @Override public void upload(float[]... arrays) { delegate.upload(arrays); }
    @Override public void download(float[]... arrays) { delegate.download(arrays); }
    @Override public void close() { delegate.close(); }

    @Override public Convolution convolution() { return delegate.convolution(); }
    @Override public Pooling pooling() { return delegate.pooling(); }
    @Override public Dense dense() { return delegate.dense(); }
    @Override public Activations activations() { return delegate.activations(); }
    @Override public Costs costs() { return delegate.costs(); }
    @Override public Regularisation regularisation() { return delegate.regularisation(); }
    @Override public Normalisation normalisation() { return delegate.normalisation(); }
    @Override public Composition composition() { return delegate.composition(); }
    @Override public Recurrent recurrent() { return delegate.recurrent(); }
    @Override public Update update() { return delegate.update(); }
}
