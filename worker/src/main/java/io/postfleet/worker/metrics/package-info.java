/** The worker's Prometheus endpoint, bound to 127.0.0.1 only. Meters are registered where the work happens. */
package io.postfleet.worker.metrics;
