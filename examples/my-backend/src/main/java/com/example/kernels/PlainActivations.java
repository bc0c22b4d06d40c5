package com.example.kernels;

import dev.nndl.spi.Activations;

/**
 * The activations written plainly, in float: one loop per operation. The reference computes in
 * double and rounds once; these round at every step, which the contract's tolerance allows.
 * {@code KernelSet} has checked every array's length before a call arrives here.
 */
final class PlainActivations implements Activations {

    @Override
    public void sigmoidForward(float[] out, float[] in) {
        for (int e = 0; e < in.length; e++) out[e] = 1f / (1f + (float) Math.exp(-in[e]));
    }

    @Override
    public void sigmoidBackward(float[] dIn, float[] dOut, float[] out) {
        for (int e = 0; e < out.length; e++) dIn[e] = dOut[e] * out[e] * (1f - out[e]);
    }

    @Override
    public void tanhForward(float[] out, float[] in) {
        for (int e = 0; e < in.length; e++) out[e] = (float) Math.tanh(in[e]);
    }

    @Override
    public void tanhBackward(float[] dIn, float[] dOut, float[] out) {
        for (int e = 0; e < out.length; e++) dIn[e] = dOut[e] * (1f - out[e] * out[e]);
    }

    @Override
    public void reluForward(float[] out, float[] in) {
        for (int e = 0; e < in.length; e++) out[e] = in[e] > 0 ? in[e] : 0f;
    }

    @Override
    public void reluBackward(float[] dIn, float[] dOut, float[] out) {
        for (int e = 0; e < out.length; e++) dIn[e] = out[e] > 0 ? dOut[e] : 0f;
    }
}
