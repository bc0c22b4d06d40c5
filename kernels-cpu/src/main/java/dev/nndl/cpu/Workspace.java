package dev.nndl.cpu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scratch arrays reused from call to call, per calling thread: the padded copies
 * and column buffers the convolutions need. A v3 training step at mini-batch 10 otherwise allocated
 * (and the JVM zeroed) about 2.6 MB per step. An array is found by what it is for and the shape it
 * serves; regions a kernel never writes (borders, spare rows, padding filters) therefore stay zero
 * between uses. At most {@link #ENTRIES} arrays are kept per thread, least recently used dropped.
 */
final class Workspace {

    private static final int ENTRIES = 24;

    /** What an array is for: a record, so finding one hashes three fields and builds no string (a shape's name took a StringBuilder a call). */
    private record Key(String purpose, Object shape, int size) {}

    private static final ThreadLocal<Map<Key, float[]>> ARRAYS = ThreadLocal.withInitial(() -> new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, float[]> eldest) {
            return size() > ENTRIES;
        }
    });

    private Workspace() {}

    /**
     * A zero-initialised array of {@code size} floats for {@code purpose} and {@code shape}; the same
     * array again on later calls with the same purpose and shape, holding what the caller left in it.
     */
    static float[] array(String purpose, Object shape, int size) {
        return ARRAYS.get().computeIfAbsent(new Key(purpose, shape, size), k -> new float[size]);
    }
}
