/** Where Poseidon runs: the {@link io.postfleet.proofs.hash.HashBackend} interface, the CPU path and OpenCL devices. */
package io.postfleet.proofs.hash;
