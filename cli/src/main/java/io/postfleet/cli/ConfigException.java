package io.postfleet.cli;

/** A setting is missing or not acceptable; the message names the flag, where the value came from and what to do. */
public final class ConfigException extends IllegalArgumentException {

    private final boolean fromEnvironment;

    public ConfigException(String message) {
        this(message, false);
    }

    /** @param fromEnvironment the value came from an environment variable, not from the command line */
    public ConfigException(String message, boolean fromEnvironment) {
        super(message);
        this.fromEnvironment = fromEnvironment;
    }

    /**
     * Whether the value came from an environment variable: the command line was well formed, so a refusal needs no
     * usage after it.
     */
    public boolean fromEnvironment() {
        return fromEnvironment;
    }
}
