/**
 * Where Poseidon runs: the {@link io.postfleet.proofs.hash.HashBackend} interface, the CPU path and OpenCL devices, and
 * a wrapper that times the calls of any of them.
 */
package io.postfleet.proofs.hash;
