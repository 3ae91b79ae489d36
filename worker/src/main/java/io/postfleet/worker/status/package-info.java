/**
 * What a worker reports about itself in its heartbeats: CPU, memory, heap, GPUs (through NVML when the NVIDIA
 * driver's library is present) and the task in hand.
 */
package io.postfleet.worker.status;
