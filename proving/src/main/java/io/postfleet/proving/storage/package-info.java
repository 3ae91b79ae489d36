/**
 * The storage plane's server side: whoever holds a sector answers the challenges of that sector for workers that do
 * not see its files, speaking Lotus's own protocol. {@code lotus} holds the wire formats (the SingleVanillaParams
 * JSON, comm_r CIDs, registered proof numbers, API info strings), {@code auth} the Lotus API tokens (HS256 JWTs and
 * their secret), {@code serve} the {@code /remote} endpoint over local storage paths. Nothing here needs Kafka.
 */
package io.postfleet.proving.storage;
