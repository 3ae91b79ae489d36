/**
 * Filecoin's Poseidon (neptune v11): constants generated from their definition ({@link
 * io.postfleet.proofs.poseidon.PoseidonParameters}, plain and optimized forms) and the CPU hash ({@link
 * io.postfleet.proofs.poseidon.Poseidon}).
 */
package io.postfleet.proofs.poseidon;
