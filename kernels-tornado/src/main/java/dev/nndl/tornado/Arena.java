package dev.nndl.tornado;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * Where each array the backend keeps on the device lies in its arena, the one device array that
 * holds them all ({@link ArenaPlan}): the host side of the arena, with no TornadoVM in it. A
 * caller's {@code float[]} gets a region (an offset and its length, in floats) the first time the
 * backend meets it, keyed by the array's identity and held weakly: when the host array is
 * collected its region goes back to the free space, to be reused. Each region remembers whether
 * an operation wrote it since the host's copy was last made equal ({@link Region#newer}), so that
 * downloading an array nobody wrote costs nothing.
 *
 * <p>Regions start at multiples of {@link #ALIGN} floats. Free space is a list of free blocks,
 * merged with their neighbours when freed; a request takes the first block that fits, and when
 * none does, {@link #place} says so and the caller grows the arena ({@link #grow}).
 */
final class Arena {

    /** Floats every region is a multiple of, and so where it starts: 64 bytes. */
    static final int ALIGN = 16;

    /** An array's place in the arena. */
    static final class Region {
        final int offset, length;
        /** An operation wrote it on the device since the host's copy was last made equal. */
        boolean newer;

        Region(int offset, int length) {
            this.offset = offset;
            this.length = length;
        }
    }

    /** The weak reference from a region to its host array, queued when the array is collected. */
    private static final class Owner extends WeakReference<float[]> {
        final int offset, size;

        Owner(float[] array, int offset, int size, ReferenceQueue<float[]> queue) {
            super(array, queue);
            this.offset = offset;
            this.size = size;
        }
    }

    private final Map<float[], Region> regions = new WeakHashMap<>();
    private final ReferenceQueue<float[]> collected = new ReferenceQueue<>();
    /** The owners until their arrays are collected: a reference must stay reachable to be queued. */
    private final Set<Owner> owners = new HashSet<>();
    /** Free blocks: offset to size, in floats. */
    private final TreeMap<Integer, Integer> free = new TreeMap<>();
    private int capacity;

    Arena(int capacity) {
        if (capacity <= 0 || capacity % ALIGN != 0) throw new IllegalArgumentException("capacity " + capacity + " is not a positive multiple of " + ALIGN);
        this.capacity = capacity;
        free.put(0, capacity);
    }

    int capacity() {
        return capacity;
    }

    /** The region of {@code a}, or null when the backend has not met it. */
    Region get(float[] a) {
        return regions.get(a);
    }

    /** A new region for {@code a} (which has none), or null when no free block is large enough. */
    Region place(float[] a) {
        if (regions.containsKey(a)) throw new IllegalStateException("the array already has a region");
        reclaim();
        int size = size(a.length), offset = take(size);
        if (offset < 0) return null;
        Region r = new Region(offset, a.length);
        regions.put(a, r);
        owners.add(new Owner(a, offset, size, collected));
        return r;
    }

    /** The floats a request of {@code length} takes: a multiple of {@link #ALIGN}, at least one. */
    static int size(int length) {
        return Math.max(ALIGN, (int) (((long) length + ALIGN - 1) / ALIGN * ALIGN));
    }

    /** Where the last region ends: the arena's contents that growing must keep lie below it. */
    int end() {
        var last = free.lastEntry();
        return last != null && last.getKey() + last.getValue() == capacity ? last.getKey() : capacity;
    }

    /** Free floats in all, for tests and messages. */
    int freeFloats() {
        reclaim();
        int sum = 0;
        for (int size : free.values()) sum += size;
        return sum;
    }

    /** Makes the arena {@code capacity} floats long (no shorter than it is); the regions keep their offsets. */
    void grow(int capacity) {
        if (capacity < this.capacity || capacity % ALIGN != 0) throw new IllegalArgumentException("cannot grow " + this.capacity + " floats to " + capacity);
        int added = capacity - this.capacity;
        if (added == 0) return;
        release(this.capacity, added);
        this.capacity = capacity;
    }

    /** Frees the regions of the arrays that were collected since the last call. */
    void reclaim() {
        for (var r = collected.poll(); r != null; r = collected.poll()) {
            Owner o = (Owner) r;
            owners.remove(o);
            release(o.offset, o.size);
        }
    }

    /** The offset of the first free block of at least {@code size} floats, now taken; -1 when none. */
    private int take(int size) {
        for (var block : free.entrySet()) {
            if (block.getValue() >= size) {
                int offset = block.getKey(), left = block.getValue() - size;
                free.remove(offset);
                if (left > 0) free.put(offset + size, left);
                return offset;
            }
        }
        return -1;
    }

    /** Returns {@code size} floats at {@code offset} to the free blocks, merged with the blocks either side. */
    private void release(int offset, int size) {
        var before = free.floorEntry(offset);
        if (before != null && before.getKey() + before.getValue() == offset) {
            offset = before.getKey();
            size += before.getValue();
            free.remove(offset);
        }
        Integer after = free.get(offset + size);
        if (after != null) {
            free.remove(offset + size);
            size += after;
        }
        free.put(offset, size);
    }
}
