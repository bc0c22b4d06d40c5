/**
 * {@code CpuKernels}: the {@code KernelSet} on the Vector API ({@code jdk.incubator.vector}) and a
 * fixed thread pool, registered through {@code ServiceLoader} as {@code cpu}. Convolutions and
 * fully connected layers run on one packed, register-blocked matrix multiply ({@code Gemm}) fed
 * by implicit im2col views ({@code ConvViews}); the rest are vector loops.
 *
 * <p>Knobs: {@code -Dnndl.cpu.threads=N} (default: all cores; at most 4 x the cores) and, for tests,
 * {@code -Dnndl.cpu.vectorBits=128|256|512} to force a narrower vector path.
 */
package dev.nndl.cpu;
