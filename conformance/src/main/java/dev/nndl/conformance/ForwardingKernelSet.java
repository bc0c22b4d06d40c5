package dev.nndl.conformance;

import dev.nndl.spi.Families;
import dev.nndl.spi.KernelSet;

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
    @Override public java.util.Optional<dev.nndl.spi.Transfers> transfers() { return delegate.transfers(); }
    @Override public void close() { delegate.close(); }

    /** Split as the delegate splits, the parts one after another: a subclass's own families need not serve two threads. */
    @Override public int sampleParts(int batch, long parameters, long macs) { return delegate.sampleParts(batch, parameters, macs); }

    @Override public Families families() { return delegate.families(); }
}
