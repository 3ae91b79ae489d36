/**
 * The fleet's Kafka topics: their configurable names ({@link io.postfleet.messaging.topic.Topics}), the partition
 * counts and configs each needs ({@link io.postfleet.messaging.topic.TopicSpec}), and the start-up check that
 * creates missing topics and refuses existing ones that do not fit ({@link io.postfleet.messaging.topic.TopicChecker}).
 */
package io.postfleet.messaging.topic;
