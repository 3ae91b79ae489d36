/** The worker's one typed configuration record, built from flags and environment variables by the CLI. */
package io.postfleet.worker.config;
