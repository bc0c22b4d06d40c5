/**
 * {@code CpuKernels}: the {@code KernelSet} on the Vector API ({@code jdk.incubator.vector}) and a
 * fixed thread pool, registered through {@code ServiceLoader} as {@code cpu}.
 *
 * <p>Empty for now: issue 5 ("kernels-cpu: Vector API and multithreaded kernels for every
 * operation") fills it. Until then {@code -Dnndl.backend=cpu} fails with "unknown backend" and
 * {@code auto} moves on to the next backend.
 */
package dev.nndl.cpu;
