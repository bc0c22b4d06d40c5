/**
 * {@code AparapiKernels}: the {@code KernelSet} as OpenCL kernels through Aparapi 3, registered as
 * {@code aparapi}; runs on PoCL's CPU device in CI and on a GPU where one exists. The JVM needs
 * {@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so} and {@code --enable-native-access=ALL-UNNAMED}
 * ({@code ./nndl}, the build's test JVMs and the benchmark forks set both).
 */
package dev.nndl.aparapi;
