/**
 * Who is consuming each kind of task: the consumer group's lag (committed against end offsets), its members and
 * their assigned partitions, and the workers' heartbeats. Lag alone misleads (a worker deep in a long proof commits
 * nothing for minutes and is alive), so liveness comes from heartbeats and membership together.
 */
package io.postfleet.miner.lag;
