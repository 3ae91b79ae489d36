package io.postfleet.proofs.field;

/**
 * A 32-byte value that is not a canonical BLS12-381 Fr encoding (its little-endian integer is {@code >= p}). Filecoin
 * refuses such values instead of reducing them, so this code does too; the message names where the value came from.
 */
public final class NonCanonicalElementException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public NonCanonicalElementException(String message) {
        super(message);
    }
}
