package io.postfleet.proofs.merkle;

/**
 * One level of an inclusion path: the other {@code arity - 1} children of the level, left to right, as 32-byte nodes
 * back to back, and the position {@code index} of the running node among the {@code arity} children.
 */
public record PathElement(byte[] siblings, int index) {

    public PathElement {
        if (siblings.length % Node.SIZE != 0) {
            throw new IllegalArgumentException("siblings must be whole 32-byte nodes, got " + siblings.length + " bytes");
        }
    }

    public int siblingCount() {
        return siblings.length / Node.SIZE;
    }

    public int arity() {
        return siblingCount() + 1;
    }

    public byte[] sibling(int i) {
        return Node.copy(siblings, i * Node.SIZE);
    }

    /** Writes the arity children of this level (siblings with {@code node} inserted at index) to {@code out}. */
    public void children(byte[] node, int nodeOff, byte[] out, int outOff) {
        int before = index * Node.SIZE;
        System.arraycopy(siblings, 0, out, outOff, before);
        System.arraycopy(node, nodeOff, out, outOff + before, Node.SIZE);
        System.arraycopy(siblings, before, out, outOff + before + Node.SIZE, siblings.length - before);
    }
}
