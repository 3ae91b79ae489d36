/**
 * Putting tasks on the task topics so that a deadline's partitions land on distinct live workers: key hashing alone
 * puts two of four tasks on the same worker most of the time, so the partition is chosen from the group's current
 * assignment, idle and least-loaded members first.
 */
package io.postfleet.miner.dispatch;
