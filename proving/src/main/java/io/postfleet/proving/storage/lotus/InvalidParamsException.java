package io.postfleet.proving.storage.lotus;

/**
 * A request body that is not a SingleVanillaParams Lotus would send: the message names the field
 * ({@code Sector.Challenge[3]}, {@code ProofType}, or {@code body} when it is not JSON at all) and what is wrong.
 */
public final class InvalidParamsException extends Exception {

    private final String field;

    public InvalidParamsException(String field, String problem) {
        super(field + ": " + problem, null, false, false);
        this.field = field;
    }

    /** The field's path in the JSON, e.g. {@code Sector.SealedCID}; {@code body} for the body as a whole. */
    public String field() {
        return field;
    }
}
