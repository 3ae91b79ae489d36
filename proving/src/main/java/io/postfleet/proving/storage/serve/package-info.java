/**
 * The {@code /remote} endpoint a sector holder runs: {@code POST /remote/vanilla/single} proves the requested
 * challenges of one sector from the local storage paths, {@code GET /remote/stat} says what this node holds. The
 * token is checked before anything is read; reads are bounded in number and time; what the node holds is reported as
 * sector number ranges ({@link io.postfleet.proving.storage.serve.SectorInventory}) for the announcement on Kafka.
 */
package io.postfleet.proving.storage.serve;
