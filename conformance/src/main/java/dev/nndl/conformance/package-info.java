/**
 * The conformance contract: the jqwik properties every {@code KernelSet} must pass against
 * {@code ReferenceKernels}, the tolerances derived from the arithmetic, and the mutant kernel sets
 * the contract must reject.
 *
 * <p>Empty for now: issue 4 ("Conformance suite") fills it.
 */
package dev.nndl.conformance;
