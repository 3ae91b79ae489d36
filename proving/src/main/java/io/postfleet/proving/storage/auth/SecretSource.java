package io.postfleet.proving.storage.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where a process takes its token secret from: an environment variable holding it in base64 when one is named,
 * else a file, created on first use.
 *
 * @param file        the secret file (created with 32 random bytes, mode 0600, when missing)
 * @param envVariable the name of a variable holding the secret in base64; empty to use the file
 */
public record SecretSource(Path file, String envVariable) {

    public SecretSource {
        envVariable = envVariable == null ? "" : envVariable.strip();
    }

    /** The secret in {@code file}. */
    public static SecretSource file(Path file) {
        return new SecretSource(file, "");
    }

    /**
     * Opens the secret: from {@code env} when a variable is named, else from the file (created when missing).
     * {@code notes} hears where it came from and any warning.
     *
     * @throws IOException              when the file cannot be created or read
     * @throws IllegalArgumentException when the named variable is unset, empty or not a secret
     */
    public TokenSecret open(Map<String, String> env, Consumer<String> notes) throws IOException {
        if (!envVariable.isEmpty()) {
            String text = env.get(envVariable);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("the environment variable " + envVariable + " named for the token "
                        + "secret is not set");
            }
            return TokenSecret.fromBase64(text, "the environment variable " + envVariable);
        }
        return TokenSecret.loadOrCreate(file, notes);
    }

    /** Where the secret is, in words. */
    public String describe() {
        return envVariable.isEmpty() ? file.toString() : "the environment variable " + envVariable;
    }
}
