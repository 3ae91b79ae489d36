/**
 * The miner's event stream: one JSON line per thing an operator (or a test) wants to see happen to a task or a
 * deadline, written as it happens.
 */
package io.postfleet.miner.events;
