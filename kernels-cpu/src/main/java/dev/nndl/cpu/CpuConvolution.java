package dev.nndl.cpu;

import dev.nndl.shape.ConvShape;
import dev.nndl.spi.Convolution;

/**
 * Convolutions on the CPU, each direction's algorithm chosen by its shape: forward and
 * backward-weights with unit column stride and outputs at least a vector wide run directly
 * ({@link DirectConv}: input read in place, weights broadcast from the filter, nothing packed);
 * others are matrix multiplies on {@link Gemm}'s register-blocked kernel with the convolution's
 * matrices computed while packing (implicit im2col, {@link ConvViews}). Backward-weights over
 * rows shorter than two vectors, with filters enough to fill the lanes, puts the output channels
 * in the lanes instead ({@link ChannelLanes}); where the machine's widest vectors are 512 bits,
 * rows shorter than one of them put the channels in those for forward and backward-weights
 * ({@link WideLanes}), except that forward over rows shorter than one of them, unpadded with unit
 * strides, runs as one long row of the plane over copies of the input shifted by a column each
 * ({@link ShiftedRows}). A filter that covers its whole unpadded input
 * (LeNet-5's C5, 5x5 over 5x5) makes the convolution a fully connected layer over the flattened
 * input, and it runs as one ({@link ConvShape#fullyConnected}; on the GEMM path C5's forward took
 * 289 us at mini-batch 10, mostly broadcasting the 48,000 weights into a packed strip for 10 columns). Backward-data with unit
 * strides where a group's input channels fill six-channel tiles (LeNet-5's C3) is the direct
 * forward convolution of the padded gradient with the filters turned
 * ({@link DirectConv#backwardDataAsForward}); with filters at most five wide and at least four
 * input channels a group it runs directly over whole rows of {@code dOut}, padded to whole
 * vectors, two rows a vector of the widest where those are twice as wide and the rows fit in
 * half of one ({@link DirectConv#backwardDataTwoRows}: Nielsen's conv2); other backward-data is col2im ({@link Col2im}): a multiply over output channels and a
 * per-channel scatter.
 */
final class CpuConvolution implements Convolution {

    private final Parallel parallel;

    CpuConvolution(Parallel parallel) {
        this.parallel = parallel;
    }

    /**
     * Directly where {@link DirectConv#applies}, which pads its own copy. On the GEMM path a padded
     * convolution with unit column stride first copies its input into a zero-bordered buffer and
     * then runs unpadded: every packed strip is then inside the input and packs as contiguous runs, which on
     * the ladder's backward-data (padded by 4) made the convolution several times faster than
     * checking borders element by element. The copy costs one pass over the input.
     */

    @Override
    public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
        if (s.fullyConnected()) {
            RowProduct.multiply(out, in, w, s.n(), s.oc(), s.c() * s.kh() * s.kw(), parallel);
            return;
        }
        if (ShiftedRows.applies(s)) {
            ShiftedRows.forward(out, in, w, s, parallel);
            return;
        }
        if (WideLanes.applies(s)) {
            WideLanes.forward(out, in, w, s, parallel);
            return;
        }
        if (DirectConv.applies(s)) {
            DirectConv.forward(out, in, w, s, parallel);
            return;
        }
        if ((s.ph() > 0 || s.pw() > 0) && s.sw() == 1) {
            int hp = s.h() + 2 * s.ph(), wp = s.w() + 2 * s.pw();
            // the borders are never written, so a reused array keeps them zero
            float[] padded = Workspace.array("padded input, GEMM path", s, s.n() * s.c() * hp * wp);
            DirectConv.Padded.copyPlanes(in, s.n() * s.c(), s.h(), s.w(), padded, hp, wp, s.ph(), s.pw(), parallel);
            s = new ConvShape(s.n(), s.c(), s.h() + 2 * s.ph(), s.w() + 2 * s.pw(), s.oc(), s.kh(), s.kw(), s.sh(), s.sw(), 0, 0, s.dh(), s.dw(), s.groups());
            in = padded;
        }
        int taps = s.cPerGroup() * s.kh() * s.kw(), plane = s.oh() * s.ow();
        for (int g = 0; g < s.groups(); g++) {
            Gemm.multiply(s.ocPerGroup(), s.n() * plane, taps, Gemm.dense(w, g * s.ocPerGroup() * taps, taps, 1),
                    ConvViews.columns(in, s, g), ConvViews.planesTarget(out, s.oc(), g * s.ocPerGroup(), plane), false, parallel);
        }
    }

    /** Backward-data as a forward convolution or directly where {@link DirectConv} allows, else col2im ({@link Col2im}). */
    @Override
    public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s) {
        if (s.fullyConnected()) {
            OuterProduct.multiply(dIn, dOut, 0, s.oc(), 1, w, s.n(), s.c() * s.kh() * s.kw(), s.oc(), false, parallel);
            return;
        }
        if (DirectConv.appliesToDataAsForward(s)) DirectConv.backwardDataAsForward(dIn, dOut, w, s, parallel);
        else if (DirectConv.appliesToData(s)) DirectConv.backwardData(dIn, dOut, w, s, parallel);
        else Col2im.backwardData(dIn, dOut, w, s, parallel);
    }

    @Override
    public void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
        if (s.fullyConnected()) {
            OuterProduct.multiply(dW, dOut, 0, 1, s.oc(), in, s.oc(), s.c() * s.kh() * s.kw(), s.n(), true, parallel);
            return;
        }
        if (WideLanes.applies(s)) {
            WideLanes.backwardWeights(dW, dOut, in, s, parallel);
            return;
        }
        if (ChannelLanes.appliesToWeights(s)) {
            ChannelLanes.backwardWeights(dW, dOut, in, s, parallel);
            return;
        }
        if (DirectConv.appliesToWeights(s)) {
            DirectConv.backwardWeights(dW, dOut, in, s, parallel);
            return;
        }
        int taps = s.cPerGroup() * s.kh() * s.kw(), plane = s.oh() * s.ow();
        for (int g = 0; g < s.groups(); g++) {
            Gemm.multiply(s.ocPerGroup(), taps, s.n() * plane, ConvViews.planes(dOut, s.oc(), g * s.ocPerGroup(), plane),
                    ConvViews.columnsByTap(in, s, g), Gemm.dense(dW, g * s.ocPerGroup() * taps, taps), true, parallel);
        }
    }
}
