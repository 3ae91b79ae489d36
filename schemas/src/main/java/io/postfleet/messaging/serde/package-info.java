/**
 * The one place Kafka serializers and deserializers of the fleet's Avro records are configured: Apicurio serdes in
 * the Confluent wire format (magic byte 0, 4-byte content id, Avro binary, no headers), auto-registration by
 * producers under the registry's BACKWARD compatibility rule, specific records on the reading side, and the REST
 * calls that set that rule.
 */
package io.postfleet.messaging.serde;
