package io.postfleet.proving.storage.auth;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The HMAC key API tokens are signed and checked with, shared by whoever makes tokens ({@code post-miner auth
 * create-token}) and every node that checks them. Lotus keeps such a key per repository; here it is a file of
 * {@value #SIZE} random bytes, created on first use with mode 0600, or the base64 text of an environment variable.
 */
public final class TokenSecret {

    /** Bytes of a new secret, and the fewest accepted (HS256 keys shorter than the hash are weak). */
    public static final int SIZE = 32;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final byte[] key;
    private final String origin;

    private TokenSecret(byte[] key, String origin) {
        if (key.length < SIZE) {
            throw new IllegalArgumentException("the token secret from " + origin + " has " + key.length
                    + " bytes; it needs at least " + SIZE);
        }
        this.key = key.clone();
        this.origin = origin;
    }

    /** A secret of {@code key} (at least 32 bytes), e.g. for tests. */
    public static TokenSecret of(byte[] key) {
        return new TokenSecret(key, "memory");
    }

    /** A new random secret, not stored. */
    public static TokenSecret random() {
        byte[] b = new byte[SIZE];
        new SecureRandom().nextBytes(b);
        return new TokenSecret(b, "memory");
    }

    /**
     * The secret in base64 (standard or url alphabet), as Curio's StorageRPCSecret holds one.
     *
     * @param origin where the text came from, for messages (e.g. the variable's name)
     */
    public static TokenSecret fromBase64(String text, String origin) {
        String t = text.strip();
        byte[] b;
        try {
            b = t.contains("-") || t.contains("_") ? Base64.getUrlDecoder().decode(t) : Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the token secret in " + origin + " is not base64 (" + e.getMessage() + ")");
        }
        return new TokenSecret(b, origin);
    }

    /**
     * Reads the secret in {@code file}, creating the file first (and its directory, mode 0700) with 32 random bytes
     * and mode 0600 when it does not exist. {@code notes} hears what was done and any warning (a file others can
     * read).
     *
     * @throws IOException naming the file when it cannot be created or read
     */
    public static TokenSecret loadOrCreate(Path file, Consumer<String> notes) throws IOException {
        if (!Files.exists(file)) {
            try {
                create(file);
                notes.accept("created the token secret " + file + " (" + SIZE + " random bytes, mode 0600)");
            } catch (FileAlreadyExistsException raced) {
                // another process created it meanwhile: read that one
            }
        }
        return read(file, notes);
    }

    /**
     * Reads the secret in an existing {@code file}: its bytes as they are, at least 32.
     *
     * @throws IOException naming the file when it is missing, unreadable or too short
     */
    public static TokenSecret read(Path file, Consumer<String> notes) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "token secret file missing");
        }
        byte[] b = Files.readAllBytes(file);
        if (b.length < SIZE) {
            throw new IOException("the token secret " + file + " has " + b.length + " bytes; it needs at least " + SIZE
                    + " (delete it to have a new one made, then make new tokens)");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                notes.accept("warning: the token secret " + file + " can be read by others ("
                        + PosixFilePermissions.toString(perms) + "); chmod 600 " + file);
            }
        } catch (UnsupportedOperationException noPosix) {
            // a file system without POSIX permissions: nothing to check
        }
        return new TokenSecret(b, file.toString());
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } catch (UnsupportedOperationException noPosix) {
                Files.createDirectories(dir);
            }
        }
        byte[] b = new byte[SIZE];
        new SecureRandom().nextBytes(b);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, ".token-secret-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException noPosix) {
            tmp = Files.createTempFile(dir, ".token-secret-", ".tmp");
        }
        try {
            Files.write(tmp, b);
            // a link, not a move: it fails when another process made the file first, and no one reads half a file
            try {
                Files.createLink(file, tmp);
            } catch (UnsupportedOperationException noLinks) {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The key bytes (a copy). */
    byte[] key() {
        return key.clone();
    }

    /** Where the secret came from: the file or the variable. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "TokenSecret[" + origin + "]";
    }
}
