/**
 * The miner's book of what it asked for and what came back: every published task, which deadline or block it serves,
 * its state, and the rules that turn accepted partitions into a submission at the deadline's open or a miss at its
 * close.
 */
package io.postfleet.miner.deadline;
