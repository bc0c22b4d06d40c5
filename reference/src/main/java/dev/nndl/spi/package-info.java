/**
 * The service-provider interface every backend implements: {@link dev.nndl.spi.KernelSet} (one
 * checked method per operation and direction, over the ten families a backend supplies, such as
 * {@link dev.nndl.spi.Convolution}), {@link dev.nndl.spi.KernelSetProvider} found through
 * {@link java.util.ServiceLoader}, the argument checks {@link dev.nndl.spi.Arguments}, the counter-based
 * dropout RNG all backends draw from, and {@link dev.nndl.spi.Backends}, which resolves
 * {@code -Dnndl.backend}.
 */
package dev.nndl.spi;
