package dev.nndl.bench;

import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.PoolShape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named shapes the benchmarks run: Nielsen's ladder at mini-batches 10 and 64, LeNet-5, and
 * AlexNet's first two convolutions (conv2 with its two-GPU groups) at batch 1 and 8.
 */
public final class BenchShapes {

    private BenchShapes() {}

    public static final Map<String, ConvShape> CONV = new LinkedHashMap<>();
    public static final Map<String, PoolShape> POOL = new LinkedHashMap<>();
    public static final Map<String, FcShape> FC = new LinkedHashMap<>();

    static {
        for (int n : new int[] {10, 64}) {
            CONV.put("ladder-conv1-mb" + n, ConvShape.of(n, 1, 28, 28, 20, 5));
            CONV.put("ladder-conv2-mb" + n, ConvShape.of(n, 20, 12, 12, 40, 5));
            POOL.put("ladder-pool1-mb" + n, PoolShape.of(n, 20, 24, 24, 2));
            POOL.put("ladder-pool2-mb" + n, PoolShape.of(n, 40, 8, 8, 2));
            FC.put("ladder-fc640x100-mb" + n, new FcShape(n, 640, 100));
            FC.put("ladder-fc100x10-mb" + n, new FcShape(n, 100, 10));
            FC.put("v6-fc1000x1000-mb" + n, new FcShape(n, 1000, 1000));
        }
        CONV.put("lenet-c1-mb64", ConvShape.of(64, 1, 32, 32, 6, 5));
        CONV.put("lenet-c3-mb64", ConvShape.of(64, 6, 14, 14, 16, 5));
        CONV.put("lenet-c5-mb64", ConvShape.of(64, 16, 5, 5, 120, 5));
        for (int n : new int[] {1, 8}) {
            CONV.put("alexnet-conv1-b" + n, ConvShape.of(n, 3, 227, 227, 96, 11, 4, 0));
            CONV.put("alexnet-conv2-b" + n, ConvShape.of(n, 96, 27, 27, 256, 5, 1, 2).withGroups(2));
        }
    }
}
