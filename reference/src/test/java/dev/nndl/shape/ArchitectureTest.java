package dev.nndl.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.shape.Layer.Dims;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's networks, layer by layer, against the seed's tables and the papers' totals. */
class ArchitectureTest {

    private static List<Long> params(Architecture net) {
        return net.table().stream().map(Architecture.Row::params).toList();
    }

    private static List<String> outputs(Architecture net) {
        return net.table().stream().map(r -> r.out().toString()).toList();
    }

    @Test
    void leNet5MatchesTheSeedsAppendixTable() {
        Architecture net = Architecture.leNet5();
        assertEquals(List.of(156L, 0L, 2416L, 0L, 48120L, 10164L, 850L), params(net));
        assertEquals(List.of("6x28x28", "6x14x14", "16x10x10", "16x5x5", "120", "84", "10"), outputs(net));
        assertEquals(61_706, net.totalParams());
    }

    @Test
    void alexNetMatchesTheSeedsTableAndThePapersTotal() {
        Architecture net = Architecture.alexNet();
        assertEquals(List.of("96x55x55", "96x55x55", "96x27x27", "256x27x27", "256x27x27", "256x13x13",
                "384x13x13", "384x13x13", "256x13x13", "256x6x6", "4096", "4096", "4096", "4096", "1000"), outputs(net));
        assertEquals(34_944, params(net).get(0), "conv1: (3x11x11 + 1) x 96");
        assertEquals(307_456, params(net).get(3), "conv2 with groups=2: (48x5x5 + 1) x 256");
        assertEquals(60_965_224, net.totalParams(), "Krizhevsky et al.'s two-GPU net");
    }

    /**
     * GoogLeNet against Table 1 of Szegedy et al. (2014): every row's output, and each inception
     * module's parameters from the table's own branch widths (weights and biases), computed here
     * independently of {@link Layer.Inception}. The paper's "params" column (in units of 1024
     * weights, no biases) agrees with its widths to within 1 % for 3a, 3b, 4b and 4e and is off
     * by up to 7 % elsewhere, so it is not a reference; the total is, "about 6.8 million".
     */
    @Test
    void googLeNetMatchesThePapersTable() {
        Architecture net = Architecture.googLeNet();
        assertEquals(List.of("64x112x112", "64x56x56", "64x56x56", "192x56x56", "192x28x28", "256x28x28", "480x28x28", "480x14x14",
                "512x14x14", "512x14x14", "512x14x14", "528x14x14", "832x14x14", "832x7x7", "832x7x7", "1024x7x7", "1024", "1024", "1000"),
                outputs(net));
        // Table 1's inception rows: input channels, #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj
        int[][] table = {{192, 64, 96, 128, 16, 32, 32}, {256, 128, 128, 192, 32, 96, 64}, {480, 192, 96, 208, 16, 48, 64},
                {512, 160, 112, 224, 24, 64, 64}, {512, 128, 128, 256, 24, 64, 64}, {512, 112, 144, 288, 32, 64, 64},
                {528, 256, 160, 320, 32, 128, 128}, {832, 256, 160, 320, 32, 128, 128}, {832, 384, 192, 384, 48, 128, 128}};
        List<Architecture.Row> modules = net.table().stream().filter(r -> r.layer() instanceof Layer.Inception).toList();
        assertEquals(table.length, modules.size());
        for (int m = 0; m < table.length; m++) {
            int[] t = table[m];
            long expected = (t[0] + 1L) * t[1] + (t[0] + 1L) * t[2] + (9L * t[2] + 1) * t[3] + (t[0] + 1L) * t[4] + (25L * t[4] + 1) * t[5] + (t[0] + 1L) * t[6];
            assertEquals(t[0], modules.get(m).in().c(), modules.get(m).layer().name() + " input");
            assertEquals(expected, modules.get(m).params(), modules.get(m).layer().name());
        }
        assertEquals(163_696, modules.get(0).params(), "3a: 159K weights in the paper, plus 256 + 96 + 16 biases");
        long layersWithParameters = net.table().stream().filter(r -> r.params() > 0).mapToLong(r -> r.layer() instanceof Layer.Inception ? 2 : 1).sum();
        assertEquals(22, layersWithParameters, "the paper's 22 layers deep (counting only layers with parameters)");
        assertEquals(6.8e6, net.totalParams(), 0.03 * 6.8e6, "about 6.8 million parameters");
    }

    @Test
    void nielsensLadderHasTheSlidesShapes() {
        assertEquals(List.of("100", "10"), outputs(Architecture.nielsen(0)));
        assertEquals(List.of("20x24x24", "20x12x12", "100", "10"), outputs(Architecture.nielsen(1)));
        assertEquals(List.of("20x24x24", "20x12x12", "40x8x8", "40x4x4", "100", "10"), outputs(Architecture.nielsen(2)));
        Architecture v2 = Architecture.nielsen(2);
        assertEquals(new Dims(40, 4, 4), v2.table().get(4).in(), "FC 640-100");
        assertEquals(64_100, v2.table().get(4).params());
        assertEquals(List.of("20x24x24", "20x12x12", "40x8x8", "40x4x4", "40x4x4", "1000", "1000", "1000", "1000", "10"),
                outputs(Architecture.nielsen(6)));
        assertEquals(520, Architecture.nielsen(1).table().get(0).params(), "20 feature maps: (5x5 + 1) x 20");
    }

    @Test
    void customLayersParseAndChain() {
        Architecture net = Architecture.parse("1x28x28", List.of("conv:20:5:relu", "pool:2", "conv:40:5:s1:p2:g2", "avgpool:3:s1:p1", "fc:100:tanh", "softmax:10"));
        assertEquals(List.of("20x24x24", "20x12x12", "40x12x12", "40x12x12", "100", "10"), outputs(net));
    }

    @Test
    void averagePoolingCanExcludeItsPadding() {
        Architecture net = Architecture.parse("1x28x28", List.of("avgpool:3:s1:p1:exclude", "softmax:10"));
        assertEquals("avg-pool 3x3 s1 p1 excl. pad", net.table().getFirst().layer().describe());
        assertTrue(((Layer.Pool) net.table().getFirst().layer()).excludePadding());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architecture.parse("1x28x28", List.of("pool:3:p1:exclude")));
        assertTrue(e.getMessage().contains("only average pooling can exclude its padding"), e.getMessage());
    }

    @Test
    void aLayerThatDoesNotFitIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architecture.parse("1x8x8", List.of("conv:4:5", "conv:4:5")).table());
        assertTrue(e.getMessage().startsWith("layer 2 (conv2, conv 4@5x5 s1 p0) does not fit its input 4x4x4: kh=5 is larger than the padded input"),
                e.getMessage());
    }

    @Test
    void badSpecsSayWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architecture.parse("1x28x28", List.of("conv:20")));
        assertTrue(e.getMessage().startsWith("layer 1 'conv:20': missing K; expected conv:FILTERS:K"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Architecture.parse("28by28", List.of()));
        assertEquals("input '28by28' is not CxHxW (e.g. 1x28x28 or 3x227x227)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Architecture.builtIn("resnet"));
        assertTrue(e.getMessage().startsWith("no built-in network 'resnet'; known: lenet5, alexnet, googlenet, v0"), e.getMessage());
    }
}
