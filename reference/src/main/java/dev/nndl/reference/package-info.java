/**
 * The reference kernels: plain and obviously correct, the oracle, not the fast path. Every
 * operation is written as its formula, in one thread, accumulating in {@code double}; every other
 * backend is judged against it.
 */
package dev.nndl.reference;
