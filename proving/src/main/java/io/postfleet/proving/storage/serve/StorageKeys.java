package io.postfleet.proving.storage.serve;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.cli.ConfigException;
import io.postfleet.cli.DurationConverter;
import io.postfleet.proving.storage.auth.SecretSource;

/**
 * The settings every process that serves storage or makes tokens takes the same way: the token secret, and the
 * bounds of the endpoint's reads. Each process lists them in its own configuration definition, with its own listen
 * address setting.
 */
public final class StorageKeys {

    /** Where the token secret file is by default: one per user, so a miner and its storage nodes on a host share it. */
    public static final String DEFAULT_SECRET_FILE = Path.of(System.getProperty("user.home"), ".postfleet",
            "token-secret").toString();

    public static final Key<Path> TOKEN_SECRET = Key.of("--secret", "POSTFLEET_TOKEN_SECRET", "FILE",
            DEFAULT_SECRET_FILE, "the API token secret: tokens are signed and checked with it (created with 32 random"
                    + " bytes, mode 0600, when missing; copy it to every node that checks the same tokens)", Path::of);
    public static final Key<String> TOKEN_SECRET_ENV = Key.text("--token-secret-env", null, "VARIABLE", "",
            "take the token secret, in base64, from this environment variable instead of --secret")
            .must(v -> v.matches("[A-Za-z_][A-Za-z0-9_]*|"), "an environment variable's name");
    public static final Key<Integer> PARALLEL_READS = Key.of("--parallel-reads", "POSTFLEET_PARALLEL_READS", "N",
            String.valueOf(ServeSettings.DEFAULT_PARALLEL_READS), "sectors read at once for vanilla proof requests "
                    + "(Lotus's post-parallel-reads); more requests wait for a slot", Integer::parseInt)
            .must(n -> n >= 1 && n <= 1024, "1..1024");
    public static final Key<Duration> READ_TIMEOUT = Key.of("--read-timeout", "POSTFLEET_READ_TIMEOUT", "DURATION",
            "1m", "longest a vanilla proof request may take, waiting for a read slot included; then it is answered "
                    + "500", DurationConverter::parse).must(d -> !d.isZero() && !d.isNegative(), "must be positive");

    private StorageKeys() {
    }

    /**
     * Where {@code c} says the token secret is: the variable when {@link #TOKEN_SECRET_ENV} names one, else the file.
     *
     * @throws ConfigException when both were given
     */
    public static SecretSource secret(ConfigDef.Config c) {
        String env = c.get(TOKEN_SECRET_ENV);
        if (!env.isEmpty() && !c.named(TOKEN_SECRET).endsWith("(default)")) {
            throw new ConfigException(c.named(TOKEN_SECRET) + " " + c.get(TOKEN_SECRET) + " and "
                    + TOKEN_SECRET_ENV.flag() + " " + env
                    + " were both given: take the secret from one of them");
        }
        return new SecretSource(c.get(TOKEN_SECRET), env);
    }

    /** The endpoint settings {@code c} describes, listening on {@code listen}. */
    public static ServeSettings serveSettings(ConfigDef.Config c, InetSocketAddress listen, String nodeId) {
        return new ServeSettings(listen, c.get(PARALLEL_READS), c.get(READ_TIMEOUT), secret(c), nodeId);
    }

    /** A process's own /remote endpoint over its storage paths (the miner's, a worker's); empty: none. */
    public static final Key<String> STORAGE_LISTEN = Key.text("--storage-listen", "POSTFLEET_STORAGE_LISTEN",
            "HOST:PORT", "", "also serve this process's storage paths to workers that do not see them, over Lotus's "
                    + "/remote protocol on this address, and announce them (empty: off); tokens: post-miner auth "
                    + "api-info --perm admin")
            .must(t -> t.isBlank() || isListenAddress(t), "empty, or HOST:PORT with a host that resolves");

    /** {@code HOST:PORT} for a key's check: true when {@link ServeSettings#parseListen} takes it. */
    public static boolean isListenAddress(String text) {
        try {
            ServeSettings.parseListen(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** One line for an endpoint that could not start: which setting, what went wrong, what to do. */
    public static String startProblem(String listenSetting, ServeSettings s, Exception e) {
        if (e instanceof BindException) {
            return listenSetting + " " + s.listen().getHostString() + ":" + s.listen().getPort() + ": cannot listen there"
                    + " (" + e.getMessage() + "); choose another port, or stop what holds this one";
        }
        String from = s.secret().envVariable().isEmpty() ? TOKEN_SECRET.flag() + " " + s.secret().file()
                : TOKEN_SECRET_ENV.flag() + " " + s.secret().envVariable();
        if (e instanceof IOException) {
            return from + ": the token secret cannot be made or read (" + e.getMessage() + ")";
        }
        return from + ": " + e.getMessage();
    }
}
