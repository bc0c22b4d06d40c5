package dev.nndl.distributed;

import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.Availability;
import dev.nndl.spi.Families;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for tests, {@value #NAME}: the reference's kernels, which fail where a test arms them
 * to, with an exception that the command line takes for an error, not for bad input (exit code 1),
 * as a disk that went away would.
 */
public final class FailingBackend implements KernelSetProvider {

    static final String NAME = "failing";

    /** How many runs are still to fail at their first training step after a scoring: in their second epoch, after the first checkpoint. */
    static final AtomicInteger AFTER_CHECKPOINT = new AtomicInteger();

    /** How many runs are still to fail as they start this backend. */
    static final AtomicInteger AT_START = new AtomicInteger();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public KernelSet create() {
        if (take(AT_START)) throw new UncheckedIOException(new IOException("a failure the test arranged, as the backend starts"));
        return new Kernels();
    }

    private static boolean take(AtomicInteger failures) {
        return failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private static final class Kernels implements KernelSet {

        private final Families families = new ReferenceKernels().families();
        private boolean scored;

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String device() {
            return "the reference's kernels, failing where a test arms them to";
        }

        @Override
        public Families families() {
            return families;
        }

        /** A training step uploads its images and labels, scoring its images alone. */
        @Override
        public void upload(float[]... arrays) {
            if (arrays.length == 1) scored = true;
            else if (scored && take(AFTER_CHECKPOINT)) throw new UncheckedIOException(new IOException("a failure the test arranged, after the first checkpoint"));
        }
    }
}
