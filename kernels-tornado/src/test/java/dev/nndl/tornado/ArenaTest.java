package dev.nndl.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.tornado.Arena.Region;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arena's bookkeeping on the host, no device needed: where arrays go, and that their space comes back. */
class ArenaTest {

    @Test
    void arraysGetAlignedRegionsThatDoNotOverlap() {
        Arena arena = new Arena(1024);
        float[] a = new float[10], b = new float[33], c = new float[0];
        Region ra = arena.place(a), rb = arena.place(b), rc = arena.place(c);
        assertEquals(0, ra.offset);
        assertEquals(10, ra.length);
        assertEquals(Arena.ALIGN, rb.offset, "a takes one aligned block of 16 floats");
        assertEquals(33, rb.length);
        assertEquals(Arena.ALIGN + 48, rc.offset, "b takes 48 floats, three blocks; an empty array still gets a block");
        assertSame(ra, arena.get(a));
        assertSame(rb, arena.get(b));
        assertNull(arena.get(new float[10]), "regions are keyed by identity, not contents");
        assertEquals(1024 - 16 - 48 - 16, arena.freeFloats());
        assertEquals(80, arena.end());
        assertThrows(IllegalStateException.class, () -> arena.place(a));
    }

    @Test
    void aRequestThatFitsNowhereIsRefusedUntilTheArenaGrows() {
        Arena arena = new Arena(64);
        float[] keep = new float[40], big = new float[100];
        arena.place(keep);
        assertNull(arena.place(big));
        assertEquals(48, arena.end());
        arena.grow(256);
        Region r = arena.place(big);
        assertNotNull(r);
        assertEquals(48, r.offset, "growing frees the new space after the last region, joined with the free space before it");
        assertEquals(0, arena.get(keep).offset, "regions keep their offsets");
        assertThrows(IllegalArgumentException.class, () -> arena.grow(100));
    }

    /** When the host array is collected its region is free again, joined with its free neighbours, and reused. */
    @Test
    void theSpaceOfACollectedArrayIsReused() throws InterruptedException {
        Arena arena = new Arena(4096);
        float[] first = new float[16];
        arena.place(first);
        List<float[]> garbage = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            float[] a = new float[100];
            garbage.add(a);
            arena.place(a);
        }
        float[] last = new float[16];
        arena.place(last);
        int before = arena.freeFloats();
        garbage.clear();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (arena.freeFloats() == before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(before + 10 * 112, arena.freeFloats(), "the ten collected arrays' 112 floats each are free");
        float[] large = new float[1000];
        Region r = arena.place(large);
        assertEquals(16, r.offset, "the freed regions were joined into one block of 1,120 floats, which the next request takes");
        assertEquals(0, arena.get(first).offset);
        assertEquals(16 + 1120, arena.get(last).offset);
    }
}
