package io.postfleet.proving.storage.auth;

/** A bearer token that does not grant what a request needs; the message says why (answered as 401). */
public final class TokenRejectedException extends Exception {

    public TokenRejectedException(String reason) {
        super(reason, null, false, false);
    }
}
