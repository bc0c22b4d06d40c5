/**
 * JMH benchmarks: one class per operation family, parameterised by named shape, direction and
 * backend (resolved through the production loader), each checking one result against the reference
 * in its setup; a full training step of the ladder; and the FMA peak that "% of peak" divides by.
 * {@code nndl bench} runs them and writes the CSV.
 */
package dev.nndl.bench;
