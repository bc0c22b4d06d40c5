/**
 * {@code CpuKernels}: the {@code KernelSet} on the Vector API ({@code jdk.incubator.vector}) and a
 * fixed thread pool, registered through {@code ServiceLoader} as {@code cpu}. Its families:
 * {@code CpuConvolution} (direct convolution, or a packed, register-blocked matrix multiply,
 * {@code Gemm}, fed by implicit im2col views, {@code ConvViews}), {@code CpuPooling},
 * {@code CpuLrn}, {@code CpuRecurrent}, and in {@code CpuKernels} the fully connected layers (row
 * and outer products read in place) and the vector loops of the rest.
 *
 * <p>Knobs: {@code -Dnndl.cpu.threads=N} (default: all cores; at most 4 x the cores) and, for tests,
 * {@code -Dnndl.cpu.vectorBits=128|256|512|preferred} to force a vector width (default: the
 * CPU's widest up to 256 bits).
 */
package dev.nndl.cpu;
