/**
 * Typed tasks: {@link io.postfleet.proving.task.PostTask} is a window partition or a winning election, built once
 * from its Avro record with the sector size and API version parsed there.
 */
package io.postfleet.proving.task;
