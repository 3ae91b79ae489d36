package io.postfleet.messaging;

/**
 * The log format and levels of the command-line programs. Every line starts with an ISO-8601 UTC timestamp (the
 * processes keep time in UTC), then the thread, level and logger. Levels for the client libraries: Kafka clients log
 * every config at INFO, and the serde's schema cache logs a stack trace for every failed registry call, which the
 * serializer reports once, with the registry's URL and the cause. Only levels nobody set are changed, so
 * {@code -Dorg.slf4j.simpleLogger.log.org.apache.kafka=info} still shows them.
 */
public final class ClientLogs {

    private ClientLogs() {
    }

    /**
     * UTC timestamps on every line; Kafka clients at warn, the Apicurio serde at error and its schema cache off,
     * unless set already. Call it first in {@code main}, before any logger exists.
     */
    public static void quietByDefault() {
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        setIfUnset("org.slf4j.simpleLogger.showDateTime", "true");
        setIfUnset("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        quiet("org.apache.kafka", "warn");
        quiet("io.apicurio", "error");
        quiet("io.apicurio.registry.resolver.ERCache", "off");
    }

    private static void quiet(String logger, String level) {
        setIfUnset("org.slf4j.simpleLogger.log." + logger, level);
    }

    private static void setIfUnset(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
