package dev.nndl.cpu;

import static dev.nndl.conformance.KernelContract.FILTERS_SHORT_OF_WIDE_LANES;
import static dev.nndl.conformance.KernelContract.GRADIENT_ROWS_OF_10;
import static dev.nndl.conformance.KernelContract.LENET_C1;
import static dev.nndl.conformance.KernelContract.LENET_C3;
import static dev.nndl.conformance.KernelContract.LENET_C5;
import static dev.nndl.conformance.KernelContract.LONG_ODD_ROW;
import static dev.nndl.conformance.KernelContract.MANY_FILTERS_GROUPED;
import static dev.nndl.conformance.KernelContract.NIELSEN_CONV1;
import static dev.nndl.conformance.KernelContract.NIELSEN_CONV2;
import static dev.nndl.conformance.KernelContract.NIELSEN_POOL_ODD;
import static dev.nndl.conformance.KernelContract.ROWS_OF_16_GROUPED;
import static dev.nndl.conformance.KernelContract.STRIDED_DILATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.shape.ConvShape;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The contract's named regression cases take the cpu paths they were written for, at the vector
 * width this run uses (the build runs the cpu tests at the default width, at 128 bits and at the
 * widest): a case that quietly fell onto another path would test nothing new.
 */
class CpuPathsTest {

    private static final String WIDTH = " at " + Gemm.S.vectorBitSize() + "-bit vectors, " + WideLanes.W.vectorBitSize() + "-bit wide lanes";

    @Test
    void theCasesWrittenForAPathTakeIt() {
        assertTrue(DirectConv.appliesToData(ROWS_OF_16_GROUPED), "rows of 16 run backward-data directly" + WIDTH);
        assertTrue(DirectConv.applies(ROWS_OF_16_GROUPED), "rows of 16 run forward directly" + WIDTH);
        assertFalse(DirectConv.appliesToData(NIELSEN_CONV1), "a first layer's backward-data is col2im" + WIDTH);
        assertTrue(CpuPooling.twoByTwo(NIELSEN_POOL_ODD), "Nielsen's pooling takes the 2x2 vector path");
        assertFalse(DirectConv.applies(STRIDED_DILATED) || DirectConv.appliesToData(STRIDED_DILATED) || DirectConv.appliesToWeights(STRIDED_DILATED),
                "a column stride of 3 takes the GEMM and col2im paths" + WIDTH);
        assertTrue(DirectConv.appliesToWeights(LONG_ODD_ROW) && LONG_ODD_ROW.ow() % Gemm.L != 0,
                "rows of 209 run backward-weights directly, from gradient rows padded to whole vectors" + WIDTH);
        assertTrue(LENET_C5.fullyConnected(), "LeNet-5's C5 runs as a fully connected layer");
        assertFalse(MANY_FILTERS_GROUPED.fullyConnected(), "groups, padding and a stride keep a 5x5 filter over a 5x5 map a convolution");
        assertTrue(ChannelLanes.appliesToWeights(MANY_FILTERS_GROUPED), "80 filters a group put channels in the lanes" + WIDTH);
        assertFalse(ChannelLanes.appliesToWeights(ROWS_OF_16_GROUPED), "4 filters a group would leave lanes idle" + WIDTH);
        if (Gemm.L <= 8) {
            assertTrue(DirectConv.applies(NIELSEN_CONV2) && DirectConv.appliesToData(NIELSEN_CONV2) && DirectConv.appliesToWeights(NIELSEN_CONV2),
                    "Nielsen's second layer, rows of 8, runs forward and backward-data directly" + WIDTH);
        }
        if (Gemm.L == 8) {
            assertTrue(ChannelLanes.appliesToWeights(FILTERS_SHORT_OF_WIDE_LANES), "32 filters over rows of 8 fill four fifths of five vectors" + WIDTH);
        }
        assertFalse(WideLanes.applies(FILTERS_SHORT_OF_WIDE_LANES), "32 filters fill two thirds of three wide vectors" + WIDTH);
        // the wide lanes need 512-bit vectors, which CI's AVX-512 machines have
        assertEquals(WideLanes.WL >= 16, WideLanes.applies(NIELSEN_CONV2), "Nielsen's second layer, 40 filters, rows of 8, in three wide vectors" + WIDTH);
        assertEquals(WideLanes.WL >= 16, WideLanes.applies(MANY_FILTERS_GROUPED), "80 filters a group in two blocks of three wide vectors" + WIDTH);
        assertEquals(WideLanes.WL == 16, WideLanes.applies(LENET_C3) && WideLanes.vectors(LENET_C3) == 1, "LeNet-5's C3, 16 filters, in one wide vector" + WIDTH);
        // forward over rows shorter than a widest vector runs as one long row of shifted copies where it can
        assertEquals(DirectConv.WL >= 16, ShiftedRows.applies(LENET_C3), "LeNet-5's C3, rows of 10, forward as shifted rows" + WIDTH);
        assertFalse(ShiftedRows.applies(NIELSEN_CONV2), "Nielsen's second layer, 40 filters, keeps the wide lanes' forward" + WIDTH);
        assertFalse(ShiftedRows.applies(MANY_FILTERS_GROUPED), "groups keep the wide lanes' forward" + WIDTH);
        // C3's input rows of 14 are shorter than a 512-bit vector: there its backward-data runs directly
        assertEquals(Gemm.L <= 8, DirectConv.appliesToDataAsForward(LENET_C3), "LeNet-5's C3, 6 input channels, runs backward-data as a forward convolution" + WIDTH);
        assertTrue(DirectConv.appliesToData(GRADIENT_ROWS_OF_10) && !DirectConv.appliesToDataAsForward(GRADIENT_ROWS_OF_10)
                && GRADIENT_ROWS_OF_10.ow() % Gemm.L != 0, "8 input channels over rows of 10 run backward-data directly, from gradient rows padded to whole vectors" + WIDTH);
        assertTrue(DirectConv.applies(LENET_C1) && DirectConv.channelsATile(LENET_C1.ocPerGroup()) == DirectConv.O6,
                "LeNet-5's C1, six filters, runs forward directly in six-channel tiles" + WIDTH);
        assertEquals(Gemm.L == 8 && DirectConv.WL == 16, DirectConv.wideWeights(LENET_C1),
                "LeNet-5's C1, six filters, rows of 28, sums its weight gradient in 3 x 5 tiles of 512-bit vectors" + WIDTH);
        if (Gemm.L == 8 && WideLanes.WL < 16) {
            assertTrue(ChannelLanes.appliesToWeights(NIELSEN_CONV2), "Nielsen's second layer, one vector a row, 40 filters, puts channels in the lanes" + WIDTH);
        }
    }

    @Test
    void everyConvolutionPathHasANamedCase() {
        List<ConvShape> named = List.of(STRIDED_DILATED, NIELSEN_CONV1, NIELSEN_CONV2, ROWS_OF_16_GROUPED, MANY_FILTERS_GROUPED, LENET_C5,
                FILTERS_SHORT_OF_WIDE_LANES, LENET_C3, LENET_C1, GRADIENT_ROWS_OF_10);
        taken(named, ConvShape::fullyConnected, "fully connected");
        taken(named, DirectConv::appliesToDataAsForward, "backward-data as a forward convolution");
        taken(named, s -> !DirectConv.appliesToDataAsForward(s) && DirectConv.appliesToData(s), "direct backward-data");
        taken(named, s -> !DirectConv.appliesToDataAsForward(s) && !DirectConv.appliesToData(s), "col2im backward-data");
        if (WideLanes.WL >= 16) taken(named, s -> WideLanes.applies(s) && WideLanes.vectors(s) == WideLanes.V, "wide-lanes forward and backward-weights");
        if (DirectConv.WL >= 16) taken(named, ShiftedRows::applies, "shifted-rows forward");
        if (WideLanes.WL == 16) taken(named, s -> WideLanes.applies(s) && WideLanes.vectors(s) == 1, "one-wide-vector forward and backward-weights");
        // forward and backward-weights: the shapes the wide lanes leave to the other paths
        List<ConvShape> narrow = named.stream().filter(s -> !WideLanes.applies(s)).toList();
        taken(narrow, s -> DirectConv.applies(s) && DirectConv.channelsATile(s.ocPerGroup()) == DirectConv.O, "direct forward");
        taken(narrow, s -> DirectConv.applies(s) && DirectConv.channelsATile(s.ocPerGroup()) == DirectConv.O6, "direct forward, six channels a tile");
        taken(narrow, s -> !DirectConv.applies(s), "GEMM forward");
        // at 128 and 512 bits the wide lanes take every named case that has channels in the lanes
        if (Gemm.L == 8 || WideLanes.WL < 16) taken(narrow, ChannelLanes::appliesToWeights, "channels-in-lanes backward-weights");
        taken(narrow, s -> !ChannelLanes.appliesToWeights(s) && DirectConv.appliesToWeights(s) && !DirectConv.wideWeights(s), "direct backward-weights");
        if (Gemm.L == 8 && DirectConv.WL == 16) {
            taken(narrow, s -> !ChannelLanes.appliesToWeights(s) && DirectConv.wideWeights(s), "direct backward-weights at the widest vectors");
        }
        taken(narrow, s -> !ChannelLanes.appliesToWeights(s) && !DirectConv.appliesToWeights(s), "GEMM backward-weights");
    }

    private static void taken(List<ConvShape> named, Predicate<ConvShape> path, String what) {
        assertTrue(named.stream().anyMatch(path), "no named convolution case takes the " + what + " path" + WIDTH);
    }
}
