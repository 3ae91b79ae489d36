/**
 * What the miner and the worker share above the proofs library: typed tasks ({@code task}), answering a task with a
 * real proof ({@code prove}), and the names and start-up checks both sides share ({@code fleet}). Neither app
 * depends on the other.
 */
package io.postfleet.proving;
