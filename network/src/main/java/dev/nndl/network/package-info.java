/**
 * Networks built only from {@code KernelSet} operations, and everything {@code nndl train} needs
 * to train them on MNIST.
 *
 * <p>{@link dev.nndl.network.Model}s: the rungs of Nielsen's ladder v0-v6 ({@link dev.nndl.network.Rung})
 * and LeNet-5 ({@link dev.nndl.network.LeNet5}), each a {@link dev.nndl.network.Network} of layers
 * ({@code dev.nndl.network.layer}). MNIST in {@code dev.nndl.network.data} (idx files, the cache
 * fetched with npm and checked by SHA-256, Nielsen's split and expansion; colour images; pictures
 * of your own prepared as the training images were, for {@code nndl predict}); training,
 * checkpoints, the ensemble and the run's CSV and pictures in {@code dev.nndl.network.train}.
 */
package dev.nndl.network;
