/**
 * {@code TornadoKernels}: the {@code KernelSet} as TornadoVM kernels (KernelContext, local-memory
 * tiles and work-group reductions), compiled by TornadoVM for one OpenCL device and registered as
 * {@code tornado}. Built only where a TornadoVM SDK is installed ({@code $TORNADOVM_HOME}); its
 * JVMs start with TornadoVM's argfile.
 */
package dev.nndl.tornado;
