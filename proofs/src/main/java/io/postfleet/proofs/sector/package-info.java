/**
 * Sectors as they lie on disk: sector sizes and their tree shapes, the Lotus storage-path layout (sealed/, cache/,
 * update/, update-cache/), p_aux, building a sector's tree_r_last, test sectors and the manifest that lists them
 * (read with {@link io.postfleet.proofs.sector.JsonFile}, whose syntax errors say the line and column).
 */
package io.postfleet.proofs.sector;
