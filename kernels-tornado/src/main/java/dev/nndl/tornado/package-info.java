/**
 * {@code TornadoKernels}: the {@code KernelSet} as TornadoVM task graphs, registered as
 * {@code tornado}; built only where a TornadoVM SDK is installed.
 *
 * <p>Empty for now: issue 9 ("kernels-tornado: TornadoVM kernels for every operation") fills it
 * and moves this module behind a Maven profile activated by {@code $TORNADOVM_HOME}.
 */
package dev.nndl.tornado;
