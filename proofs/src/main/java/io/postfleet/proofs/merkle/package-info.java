/**
 * tree_r_last: the shape of a sector's arity-8 Poseidon tree (base, sub and top layers), the LevelCache files that
 * hold its top rows, inclusion proofs and their root recomputation, and building a tree through a HashBackend.
 */
package io.postfleet.proofs.merkle;
