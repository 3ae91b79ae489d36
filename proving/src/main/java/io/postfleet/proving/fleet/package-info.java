/** Names both sides of the fleet agree on: consumer groups and the client ids of workers' consumers. */
package io.postfleet.proving.fleet;
