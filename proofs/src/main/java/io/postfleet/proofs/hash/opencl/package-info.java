/**
 * Poseidon on OpenCL devices: device enumeration and the choice rule ({@link io.postfleet.proofs.hash.opencl.DeviceChoice}),
 * the kernels (resources fr.cl and poseidon.cl, OpenCL C 1.2, Fr in Montgomery form on 4x64-bit limbs) and
 * {@link io.postfleet.proofs.hash.opencl.OpenClHashBackend}, which falls back to the CPU path on any OpenCL failure.
 * Round constants and MDS matrices come from the poseidon package; here they are only rearranged for the device.
 */
package io.postfleet.proofs.hash.opencl;
