package dev.nndl.aparapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aparapi.Kernel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Aparapi runs a kernel it cannot translate to OpenCL as Java on a thread pool, with a log line
 * as the only sign. The backend must refuse such a kernel instead: these tests give the launcher
 * one that reaches for a Java object, which OpenCL cannot have.
 */
class NoSilentFallbackTest {

    /** Logs its runs in a Java list: OpenCL has no such thing, so any run is a run in Java. */
    static final class Untranslatable extends Kernel {
        static final List<Integer> RUNS = new CopyOnWriteArrayList<>();
        final float[] out = new float[1];

        @Override
        public void run() {
            RUNS.add(getGlobalId());
            out[0] = 1f;
        }
    }

    /** Counts in an AtomicInteger, on which Aparapi's translator fails an assertion (surefire enables them) rather than throwing. */
    static final class Atomic extends Kernel {
        static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void run() {
            RUNS.incrementAndGet();
        }
    }

    @Test
    void aTranslatorAssertionIsARefusalToo() {
        OpenCl.required().close();
        Launcher launcher = new Launcher(OpenClDevices.choose(System.getProperty(OpenClDevices.PROPERTY)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> launcher.prepare(new Atomic()));
        assertTrue(e.getMessage().startsWith("Atomic does not run as OpenCL on "), e.getMessage());
        assertEquals(0, Atomic.RUNS.get());
    }

    @Test
    void aparapiAloneRunsAnUntranslatableKernelInJava() {
        OpenCl.required().close();
        Untranslatable k = new Untranslatable();
        int before = Untranslatable.RUNS.size();
        k.execute(1);
        assertTrue(Untranslatable.RUNS.size() > before, "Aparapi's fallback did not run: this test no longer shows what the launcher guards against");
        assertEquals(1f, k.out[0]);
        k.dispose();
    }

    @Test
    void theLauncherRefusesItWithTheReasonAndNeverRunsIt() {
        OpenCl.required().close();
        Launcher launcher = new Launcher(OpenClDevices.choose(System.getProperty(OpenClDevices.PROPERTY)));
        Untranslatable k = new Untranslatable();
        int before = Untranslatable.RUNS.size();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> launcher.prepare(k));
        assertTrue(e.getMessage().startsWith("Untranslatable does not run as OpenCL on OpenCL "), e.getMessage());
        assertEquals(before, Untranslatable.RUNS.size(), "the kernel's Java body ran");
        assertEquals(0f, k.out[0]);
        System.out.println("refused, as it should be: " + e.getMessage());
    }
}
