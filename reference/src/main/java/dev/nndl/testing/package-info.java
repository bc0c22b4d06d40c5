/**
 * A small property-testing kit shared by the reference's own tests, the conformance contract and
 * the network's tests: seeded generators with edge cases and shrinking ({@link dev.nndl.testing.Gen}),
 * a runner that reports a reproducible, shrunk counterexample ({@link dev.nndl.testing.Property}),
 * and array helpers ({@link dev.nndl.testing.Tensors}). Plain Java, no test framework needed.
 */
package dev.nndl.testing;
