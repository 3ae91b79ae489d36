/**
 * The BLS12-381 scalar field Fr: Montgomery arithmetic on four 64-bit limbs and the canonical 32-byte little-endian
 * encoding Filecoin uses for every tree node and commitment.
 */
package io.postfleet.proofs.field;
