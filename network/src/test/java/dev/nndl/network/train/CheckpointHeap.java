package dev.nndl.network.train;

import dev.nndl.network.AlexNet;
import dev.nndl.network.Network;
import dev.nndl.reference.ReferenceKernels;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures the heap that saving or reading AlexNet's checkpoint (1000 classes, with momentum, so
 * with velocities) costs beside the network: no test runs it (results.md, r39).
 * {@code CheckpointHeap FILE save|copy|read|none}: {@code save} as a training run saves after an
 * epoch, {@code copy} through {@link Checkpoint#of} (a copy of every array), {@code read} reads
 * FILE, {@code none} only builds the network. It prints the heap in use before, and the sum of the
 * heap pools' peaks during; run it under a range of {@code -Xmx} to find the least that succeeds.
 */
public final class CheckpointHeap {

    private CheckpointHeap() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        AlexNet model = new AlexNet(1000);
        Plan plan = Plan.of(model, 1);
        try (var kernels = new ReferenceKernels()) {
            Network network = model.build(kernels, 1, 1);
            long before = settle(), start = System.nanoTime();
            switch (args[1]) {
                case "save" -> Checkpoint.live(plan, kernels.name(), network, List.of()).write(file);
                case "copy" -> Checkpoint.of(plan, kernels.name(), network, List.of()).write(file);
                case "read" -> Checkpoint.read(file).restore(network, file);
                case "none" -> {}
                default -> throw new IllegalArgumentException("save, copy, read or none, not " + args[1]);
            }
            long ms = (System.nanoTime() - start) / 1_000_000, peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
            }
            System.out.printf("%s: heap in use before %,d MB, peak during %,d MB (%,d MB more); file %,d bytes; %,d ms%n", args[1],
                    before >> 20, peak >> 20, (peak - before) >> 20, Files.exists(file) ? Files.size(file) : 0, ms);
        }
    }

    /** Heap in use after a full collection, every pool's peak reset to it. */
    private static long settle() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }
}
