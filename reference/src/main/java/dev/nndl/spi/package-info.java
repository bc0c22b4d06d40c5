/**
 * The service-provider interface every backend implements: {@link dev.nndl.spi.KernelSet} (one
 * method per operation and direction), {@link dev.nndl.spi.KernelSetProvider} found through
 * {@link java.util.ServiceLoader}, the argument checks all backends share, the counter-based
 * dropout RNG all backends draw from, and {@link dev.nndl.spi.Backends}, which resolves
 * {@code -Dnndl.backend}.
 */
package dev.nndl.spi;
