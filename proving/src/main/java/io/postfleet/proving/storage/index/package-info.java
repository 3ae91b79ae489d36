/**
 * Who holds which sectors: each storage endpoint announces its sector numbers (as ranges), base URL and free space on
 * the compacted storage topic ({@link StorageAnnouncer}); workers and the miner read every announcement into a
 * {@link SectorIndex} and ask a sector's holders for its vanilla proof when no local path has it.
 */
package io.postfleet.proving.storage.index;
