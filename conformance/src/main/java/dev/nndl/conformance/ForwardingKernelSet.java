package dev.nndl.conformance;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.KernelSet;

/**
 * A kernel set that passes every call to another one. Subclass it to change one operation, as
 * the mutants do, or to wrap a backend (counting calls, timing them).
 */
public abstract class ForwardingKernelSet implements KernelSet {

    protected final KernelSet delegate;

    protected ForwardingKernelSet(KernelSet delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String device() {
        return delegate.device();
    }

    @Override
    public int threads() {
        return delegate.threads();
    }

    @Override
    public void upload(float[]... arrays) {
        delegate.upload(arrays);
    }

    @Override
    public void download(float[]... arrays) {
        delegate.download(arrays);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void convTranspose2dForward(float[] out, float[] in, float[] w, ConvTransposeShape s) {
        delegate.convTranspose2dForward(out, in, w, s);
    }

    @Override
    public void convTranspose2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvTransposeShape s) {
        delegate.convTranspose2dBackwardInput(dIn, dOut, w, s);
    }

    @Override
    public void convTranspose2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvTransposeShape s) {
        delegate.convTranspose2dBackwardWeights(dW, dOut, in, s);
    }

    @Override
    public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
        delegate.conv2dForward(out, in, w, s);
    }

    @Override
    public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s) {
        delegate.conv2dBackwardInput(dIn, dOut, w, s);
    }

    @Override
    public void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
        delegate.conv2dBackwardWeights(dW, dOut, in, s);
    }

    @Override
    public void maxPool2dForward(float[] out, float[] in, PoolShape s) {
        delegate.maxPool2dForward(out, in, s);
    }

    @Override
    public void maxPool2dBackward(float[] dIn, float[] dOut, float[] in, PoolShape s) {
        delegate.maxPool2dBackward(dIn, dOut, in, s);
    }

    @Override
    public void avgPool2dForward(float[] out, float[] in, PoolShape s) {
        delegate.avgPool2dForward(out, in, s);
    }

    @Override
    public void avgPool2dBackward(float[] dIn, float[] dOut, PoolShape s) {
        delegate.avgPool2dBackward(dIn, dOut, s);
    }

    @Override
    public void lpPool2dForward(float[] out, float[] in, float p, PoolShape s) {
        delegate.lpPool2dForward(out, in, p, s);
    }

    @Override
    public void lpPool2dBackward(float[] dIn, float[] dOut, float[] in, float[] out, float p, PoolShape s) {
        delegate.lpPool2dBackward(dIn, dOut, in, out, p, s);
    }

    @Override
    public void fullyConnectedForward(float[] out, float[] in, float[] w, FcShape s) {
        delegate.fullyConnectedForward(out, in, w, s);
    }

    @Override
    public void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s) {
        delegate.fullyConnectedBackwardInput(dIn, dOut, w, s);
    }

    @Override
    public void fullyConnectedBackwardWeights(float[] dW, float[] dOut, float[] in, FcShape s) {
        delegate.fullyConnectedBackwardWeights(dW, dOut, in, s);
    }

    @Override
    public void biasForward(float[] out, float[] b, TensorShape s) {
        delegate.biasForward(out, b, s);
    }

    @Override
    public void biasBackward(float[] dB, float[] dOut, TensorShape s) {
        delegate.biasBackward(dB, dOut, s);
    }

    @Override
    public void sigmoidForward(float[] out, float[] in) {
        delegate.sigmoidForward(out, in);
    }

    @Override
    public void sigmoidBackward(float[] dIn, float[] dOut, float[] out) {
        delegate.sigmoidBackward(dIn, dOut, out);
    }

    @Override
    public void tanhForward(float[] out, float[] in) {
        delegate.tanhForward(out, in);
    }

    @Override
    public void tanhBackward(float[] dIn, float[] dOut, float[] out) {
        delegate.tanhBackward(dIn, dOut, out);
    }

    @Override
    public void reluForward(float[] out, float[] in) {
        delegate.reluForward(out, in);
    }

    @Override
    public void reluBackward(float[] dIn, float[] dOut, float[] out) {
        delegate.reluBackward(dIn, dOut, out);
    }

    @Override
    public void softmaxForward(float[] out, float[] in, TensorShape s) {
        delegate.softmaxForward(out, in, s);
    }

    @Override
    public void softmaxBackward(float[] dIn, float[] dOut, float[] out, TensorShape s) {
        delegate.softmaxBackward(dIn, dOut, out, s);
    }

    @Override
    public void logLikelihoodForward(float[] loss, float[] a, float[] y, TensorShape s) {
        delegate.logLikelihoodForward(loss, a, y, s);
    }

    @Override
    public void softmaxLogLikelihoodForward(float[] loss, float[] z, float[] y, TensorShape s) {
        delegate.softmaxLogLikelihoodForward(loss, z, y, s);
    }

    @Override
    public void softmaxLogLikelihoodBackward(float[] dIn, float[] a, float[] y, TensorShape s) {
        delegate.softmaxLogLikelihoodBackward(dIn, a, y, s);
    }

    @Override
    public void quadraticCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
        delegate.quadraticCostForward(loss, a, y, s);
    }

    @Override
    public void quadraticCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
        delegate.quadraticCostBackward(dA, a, y, s);
    }

    @Override
    public void crossEntropyCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
        delegate.crossEntropyCostForward(loss, a, y, s);
    }

    @Override
    public void crossEntropyCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
        delegate.crossEntropyCostBackward(dA, a, y, s);
    }

    @Override
    public void dropoutForward(float[] out, float[] mask, float[] in, float p, long seed) {
        delegate.dropoutForward(out, mask, in, p, seed);
    }

    @Override
    public void dropoutBackward(float[] dIn, float[] dOut, float[] mask) {
        delegate.dropoutBackward(dIn, dOut, mask);
    }

    @Override
    public void l2Forward(float[] sum, float[] w) {
        delegate.l2Forward(sum, w);
    }

    @Override
    public void l2Backward(float[] dW, float[] w, float lambda) {
        delegate.l2Backward(dW, w, lambda);
    }

    @Override
    public void lrnForward(float[] out, float[] in, LrnShape s) {
        delegate.lrnForward(out, in, s);
    }

    @Override
    public void lrnBackward(float[] dIn, float[] dOut, float[] in, LrnShape s) {
        delegate.lrnBackward(dIn, dOut, in, s);
    }

    @Override
    public void concatForward(float[] out, float[][] parts, ConcatShape s) {
        delegate.concatForward(out, parts, s);
    }

    @Override
    public void concatBackward(float[][] dParts, float[] dOut, ConcatShape s) {
        delegate.concatBackward(dParts, dOut, s);
    }

    @Override
    public void addForward(float[] out, float[] a, float[] b) {
        delegate.addForward(out, a, b);
    }

    @Override
    public void rnnForward(float[] h, float[] x, float[] h0, float[] w, RecurrentShape s) {
        delegate.rnnForward(h, x, h0, w, s);
    }

    @Override
    public void rnnBackward(float[] dX, float[] dH0, float[] dW, float[] dH, float[] x, float[] h0, float[] h, float[] w, RecurrentShape s) {
        delegate.rnnBackward(dX, dH0, dW, dH, x, h0, h, w, s);
    }

    @Override
    public void lstmForward(float[] h, float[] c, float[] gates, float[] x, float[] h0, float[] c0, float[] w, RecurrentShape s) {
        delegate.lstmForward(h, c, gates, x, h0, c0, w, s);
    }

    @Override
    public void lstmBackward(float[] dX, float[] dH0, float[] dC0, float[] dW, float[] dH, float[] x, float[] h0, float[] c0,
                             float[] h, float[] c, float[] gates, float[] w, RecurrentShape s) {
        delegate.lstmBackward(dX, dH0, dC0, dW, dH, x, h0, c0, h, c, gates, w, s);
    }

    @Override
    public void sgdUpdate(float[] w, float[] v, float[] dW, float eta, float momentum, float weightDecay) {
        delegate.sgdUpdate(w, v, dW, eta, momentum, weightDecay);
    }
}
