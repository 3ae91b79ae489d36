/**
 * The miner proving by itself: when no live worker consumes a kind of task, when a result was refused, or when too
 * little time is left in a deadline for a worker that has not started. It hands back to the fleet as soon as workers
 * consume again, and never takes a task a live worker names as the one in hand.
 */
package io.postfleet.miner.fallback;
