/**
 * Shapes and their arithmetic: the NCHW shape records every operation takes, the output-size
 * relationships of Dumoulin and Visin's guide, and the layer-by-layer shape tables of the networks
 * in the seed (LeNet-5, AlexNet, Nielsen's ladder).
 */
package dev.nndl.shape;
