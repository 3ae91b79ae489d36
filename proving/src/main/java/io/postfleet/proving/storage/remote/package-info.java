/**
 * Reading a sector's challenges from whoever holds it when no local path does (Lotus's remote vanilla reads): the
 * holders from the sector index and any fixed Lotus or postfleet storage nodes are asked in turn, and every answer is
 * verified against the sector's comm_r and the challenges derived here before it is used.
 */
package io.postfleet.proving.storage.remote;
