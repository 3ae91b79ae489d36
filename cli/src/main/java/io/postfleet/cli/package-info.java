/**
 * What every command line of the project shares: {@link io.postfleet.cli.DurationConverter} for durations as
 * operators write them; {@link io.postfleet.cli.ConfigDef}, where a process defines each of its settings once
 * (flag, environment variable, doc, default, check) and prints them at start-up with secrets masked; and
 * {@link io.postfleet.cli.CommandTree}, every command of a command line, for checks that walk them all.
 */
package io.postfleet.cli;
