package io.postfleet.cli;

/** A setting is missing or not acceptable; the message names the flag, where the value came from and what to do. */
public final class ConfigException extends IllegalArgumentException {

    public ConfigException(String message) {
        super(message);
    }
}
