/**
 * The fleet benchmark behind {@code scripts/bench}: a real broker and registry process on 127.0.0.1, 2KiB sectors
 * on disk, real workers and a real miner, and three timings the fleet promises: the winning dispatch overhead (publish
 * to verified result, less the proving itself), the time from a worker's SIGKILL to its task running on another
 * worker, and the time from publishing to the miner proving locally when no worker consumes.
 */
package io.postfleet.bench;
