package io.postfleet.messaging;

/**
 * Log levels for the client libraries in the command-line programs: Kafka clients log every config at INFO, the
 * serde warns that the Confluent id handler replaces its default one, which is what is wanted, and the serde's
 * schema cache logs a stack trace for every failed registry call, which the serializer reports once, with the
 * registry's URL and the cause. Only levels nobody set are changed, so
 * {@code -Dorg.slf4j.simpleLogger.log.org.apache.kafka=info} still shows them.
 */
public final class ClientLogs {

    private ClientLogs() {
    }

    /** Kafka clients at warn, the Apicurio serde at error and its schema cache off, unless set already. */
    public static void quietByDefault() {
        quiet("org.apache.kafka", "warn");
        quiet("io.apicurio", "error");
        quiet("io.apicurio.registry.resolver.ERCache", "off");
    }

    private static void quiet(String logger, String level) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) {
            System.setProperty(key, level);
        }
    }
}
