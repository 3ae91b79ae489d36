package io.postfleet.proofs.post;

/** A verifier's answer: valid, or invalid with the first reason found. */
public sealed interface Verdict {

    record Valid() implements Verdict {
    }

    record Invalid(String reason) implements Verdict {
    }

    default boolean valid() {
        return this instanceof Valid;
    }
}
