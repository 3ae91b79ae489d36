/**
 * What both sides of the fleet agree on and check alike: consumer groups and the client ids of workers' consumers,
 * the settings every process takes (the Kafka client settings among them: file, environment, flags), and the start-up
 * check of broker, registry and storage paths.
 */
package io.postfleet.proving.fleet;
