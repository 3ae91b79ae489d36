/**
 * What every command line of the project shares: {@link io.postfleet.cli.DurationConverter} for durations as
 * operators write them, and {@link io.postfleet.cli.ConfigDef}, where a process defines each of its settings once
 * (flag, environment variable, doc, default, check) and prints them at start-up with secrets masked.
 */
package io.postfleet.cli;
