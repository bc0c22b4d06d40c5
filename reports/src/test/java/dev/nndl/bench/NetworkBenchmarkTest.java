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

    /**
     * GoogLeNet's multiply-adds per image from Table 1's widths: conv1 118,013,952, conv2's
     * reduction 12,845,056 and 3x3 346,816,512, the nine modules 128,049,152 (3a; the paper's
     * 128M) + 304,267,264 + 73,608,192 + 87,908,352 + 99,850,240 + 118,515,712 + 169,996,288 +
     * 51,079,168 + 70,697,984, and the classifier 1,024,000: 1,582,671,872, the paper's "1.5
     * billion multiply-adds".
     */
    @Test
    void googLeNetsFlopsCountEveryBranchOfEveryInceptionModule() {
        assertEquals(2.0 * 1_582_671_872L, NetworkBenchmark.flops("googlenet-b1", "forward"));
    }
}
