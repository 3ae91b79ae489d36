/**
 * The host a worker runs on, checked before it joins its group: the open-file limit, read and raised through libc
 * ({@link io.postfleet.worker.host.OpenFileLimit}), memory and GPUs against what proving the sectors in use needs
 * ({@link io.postfleet.worker.host.ProvingRequirements}, {@link io.postfleet.worker.host.SealedSectors}), and the
 * proof parameter cache; {@link io.postfleet.worker.host.HostCheck} says what it found, one line each.
 */
package io.postfleet.worker.host;
