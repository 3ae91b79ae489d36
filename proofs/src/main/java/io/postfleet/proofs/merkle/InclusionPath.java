package io.postfleet.proofs.merkle;

import java.util.List;

/** A bottom-up list of path elements (upstream InclusionPath). */
public record InclusionPath(List<PathElement> elements) {

    public InclusionPath {
        elements = List.copyOf(elements);
    }

    public int size() {
        return elements.size();
    }
}
