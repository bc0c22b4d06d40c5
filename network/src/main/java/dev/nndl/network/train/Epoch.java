package dev.nndl.network.train;

/**
 * One epoch's metrics: the mean training cost (log-likelihood, without the L2 term) over its
 * mini-batches, validation and test accuracy in percent, training throughput, and the seconds
 * spent training and evaluating.
 */
public record Epoch(int epoch, double trainCost, double validationAccuracy, double testAccuracy,
                    double imagesPerSecond, double trainSeconds, double evalSeconds) {}
