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
    void aLayerThatDoesNotFitIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architecture.parse("1x8x8", List.of("conv:4:5", "conv:4:5")).table());
        assertTrue(e.getMessage().startsWith("layer 2 (conv2, conv 4@5x5 s1 p0) does not fit its input 4x4x4: kh=5 is larger than the padded input"),
                e.getMessage());
    }

    @Test
    void badSpecsSayWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architecture.parse("1x28x28", List.of("conv:20")));
        assertTrue(e.getMessage().startsWith("layer 1 'conv:20': missing a number; expected conv:FILTERS:K"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Architecture.parse("28by28", List.of()));
        assertEquals("input '28by28' is not CxHxW (e.g. 1x28x28 or 3x227x227)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Architecture.builtIn("resnet"));
        assertTrue(e.getMessage().startsWith("no built-in network 'resnet'; known: lenet5, alexnet, v0"), e.getMessage());
    }
}
