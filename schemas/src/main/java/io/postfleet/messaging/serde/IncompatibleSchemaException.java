package io.postfleet.messaging.serde;

import org.apache.kafka.common.errors.SerializationException;

/** The registry refused a record's schema because it breaks the compatibility rule: nothing was sent. */
public final class IncompatibleSchemaException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
