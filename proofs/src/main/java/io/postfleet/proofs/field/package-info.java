/**
 * The BLS12-381 scalar field Fr: Montgomery arithmetic on four 64-bit limbs and the canonical 32-byte little-endian
 * encoding Filecoin uses for every tree node and commitment. {@link io.postfleet.proofs.field.Fr} is the value type and
 * the public entry to the allocation-free limb methods; the word arithmetic behind them is package-private.
 */
package io.postfleet.proofs.field;
