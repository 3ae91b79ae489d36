package io.postfleet.proving.storage.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token secret: made once with 32 random bytes and mode 0600, read back the same; or base64 in a variable. */
class TokenSecretTest {

    @TempDir
    Path dir;

    @Test
    void aMissingSecretIsCreatedOwnerOnlyAndReadBackTheSame() throws Exception {
        Path file = dir.resolve("conf").resolve("token-secret");
        List<String> notes = new ArrayList<>();
        TokenSecret made = TokenSecret.loadOrCreate(file, notes::add);
        assertEquals(List.of("created the token secret " + file + " (32 random bytes, mode 0600)"), notes);
        assertEquals(32, Files.size(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        notes.clear();
        TokenSecret again = TokenSecret.loadOrCreate(file, notes::add);
        assertEquals(List.of(), notes);
        String token = ApiToken.upTo(ApiPermission.ADMIN).sign(made);
        assertTrue(ApiToken.verify(token, again, Instant.now()).allows(ApiPermission.ADMIN));
    }

    @Test
    void aShortOrOpenSecretFileIsReported() throws Exception {
        Path shortFile = dir.resolve("short");
        Files.write(shortFile, new byte[16]);
        IOException e = assertThrows(IOException.class, () -> TokenSecret.loadOrCreate(shortFile, n -> { }));
        assertTrue(e.getMessage().contains("has 16 bytes; it needs at least 32"), e.getMessage());
        Path open = dir.resolve("open");
        Files.write(open, new byte[32]);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> notes = new ArrayList<>();
        TokenSecret.loadOrCreate(open, notes::add);
        assertEquals(List.of("warning: the token secret " + open + " can be read by others (rw-r--r--); chmod 600 "
                + open), notes);
    }

    @Test
    void aSecretFromAnEnvironmentVariableIsBase64() throws Exception {
        byte[] key = new byte[32];
        key[0] = 7;
        String b64 = Base64.getEncoder().encodeToString(key);
        SecretSource source = new SecretSource(dir.resolve("unused"), "STORAGE_SECRET");
        TokenSecret s = source.open(Map.of("STORAGE_SECRET", b64), n -> { });
        assertTrue(ApiToken.verify(ApiToken.upTo(ApiPermission.ADMIN).sign(TokenSecret.of(key)), s, Instant.now())
                .allows(ApiPermission.ADMIN));
        assertTrue(Files.notExists(dir.resolve("unused")), "the file is not made when a variable is named");
        assertEquals("the environment variable STORAGE_SECRET named for the token secret is not set",
                assertThrows(IllegalArgumentException.class, () -> source.open(Map.of(), n -> { })).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> source.open(Map.of("STORAGE_SECRET", "c2hvcnQ="),
                n -> { })).getMessage().contains("has 5 bytes; it needs at least 32"));
    }
}
