/**
 * {@code post-miner}: {@code run} the miner, and the operator's {@code proving workers}, {@code proving deadlines}
 * and {@code proving compute window-post|winning-post} (a dry-run proof through the fleet).
 */
package io.postfleet.miner.cli;
