/**
 * {@code AparapiKernels}: the {@code KernelSet} as OpenCL kernels through Aparapi 3, registered as
 * {@code aparapi}; runs on PoCL's CPU device in CI and on a GPU where one exists.
 *
 * <p>Empty for now: issue 6 ("kernels-aparapi: OpenCL kernels through Aparapi for every
 * operation") fills it.
 */
package dev.nndl.aparapi;
