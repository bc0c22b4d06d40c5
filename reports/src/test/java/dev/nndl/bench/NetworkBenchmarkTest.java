package dev.nndl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NetworkBenchmarkTest {

    /**
     * AlexNet's multiply-adds per image, layer by layer from the seed's shapes (groups halve conv2,
     * conv4 and conv5): 105,415,200 + 223,948,800 + 149,520,384 + 112,140,288 + 74,760,192 +
     * 37,748,736 + 16,777,216 + 4,096,000 = 724,406,816.
     */
    @Test
    void alexNetsFlopsAreTwicePerMultiplyAddForwardAndThreeTimesThatBackwardButIntoTheImage() {
        long macs = 724_406_816L, conv1 = 105_415_200L;
        assertEquals(2.0 * macs, NetworkBenchmark.flops("alexnet-b1", "forward"));
        assertEquals(8 * 2.0 * macs, NetworkBenchmark.flops("alexnet-b8", "forward"));
        assertEquals(2.0 * macs + 2.0 * (2 * macs - conv1), NetworkBenchmark.flops("alexnet-b1", "forward-backward"));
    }
}
