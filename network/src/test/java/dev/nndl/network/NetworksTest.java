package dev.nndl.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.cpu.CpuKernels;
import dev.nndl.network.layer.Layer;
import dev.nndl.network.layer.LrnLayer;
import dev.nndl.network.layer.PoolLayer;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.shape.Architecture;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Networks built from shape tables: AlexNet as the seed gives it, and the errors a table can make. */
class NetworksTest {

    @Test
    void alexNetHasTheSeedsLayersAndParameterCounts() {
        Architecture alexnet = Architecture.alexNet();
        Network network = Networks.of(alexnet, new ReferenceKernels(), 1, 1);
        List<Architecture.Row> rows = alexnet.table();
        // dropout rows become the next fully connected layer's dropout
        List<Architecture.Row> layered = rows.stream().filter(r -> !(r.layer() instanceof dev.nndl.shape.Layer.Dropout)).toList();
        assertEquals(layered.size(), network.layers().size());
        long total = 0;
        for (int i = 0; i < layered.size(); i++) {
            Layer layer = network.layers().get(i);
            long params = layer.parameters().stream().mapToLong(p -> p.value().length).sum();
            assertEquals(layered.get(i).params(), params, layered.get(i).layer().name());
            total += params;
        }
        assertEquals(60_965_224, total, "the paper's count, with conv2, conv4 and conv5 in two groups");
        assertTrue(network.layers().get(1) instanceof LrnLayer && network.layers().get(2) instanceof PoolLayer);
        assertEquals(1000, network.classes());
    }

    @Test
    void alexNetsForwardPassOnTheCpuMatchesTheReference() {
        Architecture alexnet = Architecture.alexNet();
        float[] image = new float[3 * 227 * 227];
        Random random = new Random(7);
        for (int e = 0; e < image.length; e++) image[e] = random.nextFloat();
        float[] want = Networks.of(alexnet, new ReferenceKernels(), 1, 3).forward(image);
        float[] got;
        try (CpuKernels cpu = new CpuKernels()) {
            got = Networks.of(alexnet, cpu, 1, 3).forward(image);
        }
        double sum = 0;
        for (int j = 0; j < want.length; j++) {
            sum += got[j];
            assertEquals(want[j], got[j], 1e-6 + 1e-4 * want[j], "class " + j);
        }
        assertEquals(1, sum, 1e-4);
    }

    @Test
    void googLeNetBuildsFromItsTableWithTheTablesParameters() {
        Architecture googlenet = Architecture.googLeNet();
        Network network = Networks.of(googlenet, new ReferenceKernels(), 1, 1);
        long total = network.parameters().stream().mapToLong(p -> p.value().length).sum();
        assertEquals(googlenet.totalParams(), total);
        assertEquals(6_998_552, total);
        long inceptions = network.layers().stream().filter(l -> l instanceof dev.nndl.network.layer.InceptionLayer).count();
        assertEquals(9, inceptions);
        assertEquals(1000, network.classes());
    }

    /** Inception modules on the CPU give the reference's outputs, and its gradients, to rounding. */
    @Test
    void anInceptionNetworkOnTheCpuMatchesTheReference() {
        Architecture net = Architecture.parse("3x16x16", List.of("conv:8:3:p1:relu", "inception:4:4:8:2:4:4", "pool:3:s2:p1",
                "inception:8:4:8:2:4:4", "avgpool:8", "dropout:0.4", "softmax:10"));
        Random random = new Random(3);
        float[] images = new float[4 * 3 * 16 * 16];
        for (int e = 0; e < images.length; e++) images[e] = random.nextFloat();
        float[] y = new float[4 * 10];
        for (int n = 0; n < 4; n++) y[n * 10 + n] = 1;
        Network reference = Networks.of(net, new ReferenceKernels(), 4, 5);
        float[] want = reference.gradients(images, y).clone();
        try (CpuKernels cpu = new CpuKernels()) {
            Network fast = Networks.of(net, cpu, 4, 5);
            float[] got = fast.gradients(images, y);
            for (int j = 0; j < want.length; j++) assertEquals(want[j], got[j], 1e-6 + 1e-4 * want[j], "output " + j);
            for (int i = 0; i < reference.parameters().size(); i++) {
                float[] g = reference.parameters().get(i).gradient(), h = fast.parameters().get(i).gradient();
                double scale = 0;
                for (float v : g) scale = Math.max(scale, Math.abs(v));
                for (int e = 0; e < g.length; e++) assertEquals(g[e], h[e], 1e-4 * scale + 1e-7, "parameter array " + i + " element " + e);
            }
        }
    }

    @Test
    void aTableThatCannotTrainSaysWhichLayerAndWhy() {
        var lp = assertThrows(IllegalArgumentException.class, () -> Networks.of(
                Architecture.parse("1x8x8", List.of("lppool:2", "softmax:10")), new ReferenceKernels(), 1, 1));
        assertEquals("custom layer 1 (pool1, lp-pool 2x2 s2): lp-pooling is not trainable here; use max or avg", lp.getMessage());
        var dropout = assertThrows(IllegalArgumentException.class, () -> Networks.of(
                Architecture.parse("1x8x8", List.of("dropout", "conv:4:3:relu", "softmax:10")), new ReferenceKernels(), 1, 1));
        assertTrue(dropout.getMessage().contains("dropout applies to the input of a fully connected layer"), dropout.getMessage());
        var softmax = assertThrows(IllegalArgumentException.class, () -> Networks.of(
                Architecture.parse("1x8x8", List.of("fc:10:relu")), new ReferenceKernels(), 1, 1));
        assertTrue(softmax.getMessage().contains("the softmax must be the last layer"), softmax.getMessage());
    }
}
