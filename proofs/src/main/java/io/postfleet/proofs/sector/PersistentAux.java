package io.postfleet.proofs.sector;

import io.postfleet.proofs.merkle.Node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code p_aux}: bincode of upstream PersistentAux, comm_c (32 bytes) then comm_r_last (32 bytes). The prover takes
 * both from here, not from the tree, as upstream does.
 */
public record PersistentAux(byte[] commC, byte[] commRLast) {

    public static final String FILE_NAME = "p_aux";
    public static final int SIZE = 64;

    public byte[] bytes() {
        byte[] b = new byte[SIZE];
        System.arraycopy(commC, 0, b, 0, Node.SIZE);
        System.arraycopy(commRLast, 0, b, Node.SIZE, Node.SIZE);
        return b;
    }

    /**
     * Reads and checks a p_aux file.
     *
     * @throws IOException naming the file when it is missing, not 64 bytes, or holds a non-canonical value
     */
    public static PersistentAux read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "p_aux missing");
        }
        byte[] b = Files.readAllBytes(file);
        if (b.length != SIZE) {
            throw new IOException("p_aux " + file + " has " + b.length + " bytes, expected 64 (comm_c, comm_r_last)");
        }
        if (!Node.isCanonical(b, 0) || !Node.isCanonical(b, Node.SIZE)) {
            throw new IOException("p_aux " + file + " holds a non-canonical comm_c or comm_r_last (corrupt)");
        }
        return new PersistentAux(Arrays.copyOfRange(b, 0, 32), Arrays.copyOfRange(b, 32, 64));
    }

    public void write(Path file) throws IOException {
        Files.write(file, bytes());
    }
}
