/**
 * Layers, Nielsen's ladder v0-v6 and the ensemble, MNIST, SGD and checkpoints: everything
 * {@code nndl train} needs, built only from {@code KernelSet} operations.
 *
 * <p>Empty for now: issue 7 ("network: train Nielsen's full v0-v6 ladder") fills it.
 */
package dev.nndl.network;
