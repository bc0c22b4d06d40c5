/**
 * Layers, Nielsen's ladder v0-v6 and the ensemble, MNIST, SGD and checkpoints: everything
 * {@code nndl train} needs, built only from {@code KernelSet} operations.
 *
 * <p>So far: MNIST ({@code dev.nndl.network.data}: idx files, the cache fetched with npm and
 * checked by SHA-256, Nielsen's split and expansion). Issue 7 ("network: train Nielsen's full
 * v0-v6 ladder") adds the layers, the ladder, training and checkpoints.
 */
package dev.nndl.network;
