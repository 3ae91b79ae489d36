package io.postfleet.proving.fleet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.cli.ConfigException;
import io.postfleet.messaging.serde.AvroSerdes;
import io.postfleet.proofs.sector.StoragePaths;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;

/**
 * What a process of the fleet checks before it joins anything, so that a mistyped setting is refused at start-up
 * instead of running and doing the wrong thing quietly (a worker without its sectors reports healthy sectors as
 * faults; one with a wrong registry holds partitions it can never answer). Each check throws a
 * {@link ConfigException} whose message is one line: the setting, its value, what is wrong and what to do.
 *
 * <p>The broker must answer a cluster description and the registry its system info, each within {@link #WAIT}:
 * a server that is still starting (a compose file starts everything at once) is waited for that long, a server
 * that answers as something else is refused at once. Reachability is probed with plain connections first, so a
 * broker that is not there costs one line rather than the Kafka client's warning per reconnect.
 */
public final class StartupCheck {

    /** How long a broker or registry that does not answer yet is waited for. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private static final Duration RETRY = Duration.ofMillis(250);
    private static final String SECURITY_PROTOCOL = "security.protocol";
    /** The project's build answers "apicurio-registry"; the name is matched spelled with a space too. */
    private static final Pattern REGISTRY_NAME = Pattern.compile("\"name\"\\s*:\\s*\"[^\"]*apicurio[ -]registry",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"[^\"]+\"");

    private final Duration wait;

    /** Checks that wait {@link #WAIT} for a server that does not answer yet. */
    public StartupCheck() {
        this(WAIT);
    }

    public StartupCheck(Duration wait) {
        this.wait = wait;
    }

    /**
     * The whole check of a process of the fleet: its storage paths first (no waiting), then the broker
     * ({@link FleetKeys#BOOTSTRAP}) with the process's Kafka client settings, then the registry
     * ({@link FleetKeys#REGISTRY}). Warnings and a refusal are printed to {@code err}, one line each, naming the
     * setting as the operator gave it.
     *
     * @param storageKey the process's storage setting, for messages
     * @param storage    the paths to check (the setting's value with defaults applied; empty: none is used)
     * @param kafka      the process's Kafka client settings (security)
     * @return false when refused: the caller exits with status 2
     */
    public boolean passes(ConfigDef.Config settings, Key<?> storageKey, List<Path> storage, KafkaClientSettings kafka,
                          PrintWriter err) {
        try {
            for (String warning : storage(settings.named(storageKey), storage)) {
                err.println("warning: " + warning);
            }
            broker(settings.named(FleetKeys.BOOTSTRAP), settings.get(FleetKeys.BOOTSTRAP), kafka);
            registry(settings.named(FleetKeys.REGISTRY), settings.get(FleetKeys.REGISTRY));
            return true;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return false;
        } finally {
            err.flush();
        }
    }

    /**
     * The broker answers: some bootstrap address accepts a connection, and the cluster is described within the wait,
     * by a client with {@code kafka}'s settings. Credentials the broker refuses, a TLS handshake that fails and
     * settings Kafka's client does not accept are refused at once, naming the setting and where it came from.
     *
     * @param setting how the operator gave the value, e.g. {@code --bootstrap}
     * @param kafka   the process's Kafka client settings (security), used for the description
     */
    public void broker(String setting, String bootstrap, KafkaClientSettings kafka) {
        String what = setting + " " + bootstrap;
        List<InetSocketAddress> addresses = addresses(what, bootstrap);
        long end = System.nanoTime() + wait.toNanos();
        String problem = reach(addresses, end);
        if (problem != null) {
            throw new ConfigException(what + ": no Kafka broker answered within " + words(wait) + " (" + problem
                    + "); check the address and that the broker runs");
        }
        Properties p = kafka.properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "postfleet-startup-check");
        long left = Math.max(TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()), 2000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(left));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(left));
        HeldStderr held = HeldStderr.hold();
        boolean refused = true;
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {
            held.drop();
            throw new ConfigException(unusable(kafka, e));
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) left)).nodes()
                    .get(left + 1000, TimeUnit.MILLISECONDS);
            refused = false;
        } catch (TimeoutException | ExecutionException e) {
            Throwable why = e instanceof ExecutionException ? e.getCause() : e;
            if (why instanceof org.apache.kafka.common.errors.TimeoutException || why instanceof TimeoutException) {
                throw new ConfigException(what + ": no Kafka broker answered within " + words(wait) + " (a server "
                        + "accepts connections there but does not answer as Kafka); check the address and the port, "
                        + "and that the listener takes " + kafka.value(SECURITY_PROTOCOL, "PLAINTEXT") + " ("
                        + SECURITY_PROTOCOL + (kafka.source(SECURITY_PROTOCOL) == null ? " not set"
                        : " from " + kafka.source(SECURITY_PROTOCOL)) + ")");
            }
            throw new ConfigException(what + ": " + refusal(kafka, why));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(what + ": interrupted while waiting for the broker");
        } finally {
            admin.close(Duration.ZERO);
            if (refused) {
                held.drop();
            } else {
                held.release();
            }
        }
    }

    /**
     * What Kafka's client writes to stderr while the probe runs, held back. The client logs a refused login itself
     * (an ERROR line from its network client, a WARN from its metadata manager) and a warning per failed reconnect;
     * when the check refuses, its one line says what those would, naming the setting, so they are dropped; when it
     * passes, they are written out as they came. Nothing else runs in the process while it checks its settings.
     */
    private static final class HeldStderr {

        private final PrintStream original;
        private final ByteArrayOutputStream lines = new ByteArrayOutputStream();

        private HeldStderr(PrintStream original) {
            this.original = original;
        }

        static HeldStderr hold() {
            HeldStderr held = new HeldStderr(System.err);
            System.setErr(new PrintStream(held.lines, true, StandardCharsets.UTF_8));
            return held;
        }

        void drop() {
            System.setErr(original);
        }

        void release() {
            System.setErr(original);
            original.write(lines.toByteArray(), 0, lines.size());
            original.flush();
        }
    }

    /** Why the broker refused this client, and which setting to look at. */
    private static String refusal(KafkaClientSettings kafka, Throwable why) {
        String message = oneLine(why.getMessage());
        if (why instanceof SaslAuthenticationException) {
            String user = kafka.saslUser();
            return "the broker refused the SASL login" + (user == null ? "" : " of user " + user) + " (" + message
                    + "); check the user name and password in " + kafka.named(SaslConfigs.SASL_JAAS_CONFIG)
                    + " and that the user exists on the broker";
        }
        if (why instanceof SslAuthenticationException) {
            return "the TLS handshake with the broker failed (" + message + "); check that "
                    + kafka.named(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG) + " holds the CA of the broker's "
                    + "certificate, and the client's keystore when the broker asks for one";
        }
        if (why instanceof UnsupportedSaslMechanismException) {
            return "the broker does not take this SASL mechanism (" + message + "); check "
                    + kafka.named(SaslConfigs.SASL_MECHANISM);
        }
        if (why instanceof AuthenticationException) {
            return "the broker refused this client's login (" + why.getClass().getSimpleName() + ": " + message
                    + "); check " + kafka.named(SECURITY_PROTOCOL) + " and the sasl.* or ssl.* settings";
        }
        return "the broker refused this client (" + why.getClass().getSimpleName() + ": " + message + "); check the "
                + "client's security settings";
    }

    /** A Kafka client cannot even be made with these settings: a value it does not take, a JAAS text it cannot read. */
    private static String unusable(KafkaClientSettings kafka, KafkaException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = oneLine(root.getMessage() != null ? root.getMessage() : root.toString());
        String named = null;
        for (String name : kafka.values().keySet()) {
            if (message.contains(name)) {
                named = kafka.named(name);
            }
        }
        if (named == null && message.contains("JAAS")) {
            named = kafka.named(SaslConfigs.SASL_JAAS_CONFIG);
        }
        return "the Kafka client settings are not usable (" + message + "); check " + (named != null ? named
                : "the Kafka client settings (" + FleetKeys.KAFKA_CONFIG.flag() + ", "
                + KafkaClientSettings.ENV_PREFIX + "*, " + FleetKeys.KAFKA_PROPERTY.flag() + ")");
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * The registry answers as an Apicurio registry: {@code GET <api>/system/info} returns its name and version.
     *
     * @param setting how the operator gave the value, e.g. {@code --registry}
     */
    public void registry(String setting, String url) {
        String what = setting + " " + url;
        String api;
        try {
            api = AvroSerdes.apiUrl(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(what + ": " + e.getMessage());
        }
        String path = api + "/system/info";
        HttpClient http = HttpClient.newBuilder().connectTimeout(wait).build();
        long end = System.nanoTime() + wait.toNanos();
        String problem;
        while (true) {
            Duration left = Duration.ofNanos(Math.max(end - System.nanoTime(), Duration.ofMillis(100).toNanos()));
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(path)).timeout(left)
                        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && REGISTRY_NAME.matcher(r.body()).find()
                        && VERSION.matcher(r.body()).find()) {
                    return;
                }
                if (r.statusCode() < 500) {
                    throw new ConfigException(what + ": not an Apicurio schema registry (GET " + path + " answered "
                            + answer(r) + "); give the registry's base URL, e.g. http://127.0.0.1:8080");
                }
                problem = "HTTP " + r.statusCode();
            } catch (IOException e) {
                problem = reason(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConfigException(what + ": interrupted while waiting for the registry");
            }
            if (!pause(end)) {
                throw new ConfigException(what + ": no schema registry answered within " + words(wait) + " ("
                        + problem + "); check the URL and that the registry runs");
            }
        }
    }

    /**
     * Each storage path is a directory holding the Lotus layout: at least one of {@code sealed/}, {@code cache/},
     * {@code update/} and {@code update-cache/}. A path with the layout and no sector yet is accepted (a new storage
     * path is empty) and reported in the returned warnings.
     *
     * @param setting how the operator gave the paths, e.g. {@code --storage}
     * @return one line for each path that holds no sector yet
     */
    public List<String> storage(String setting, List<Path> roots) {
        List<String> warnings = new ArrayList<>();
        String layout = "a Lotus storage path, the directory holding " + StoragePaths.SEALED + "/ and "
                + StoragePaths.CACHE + "/";
        for (Path root : roots) {
            String what = setting + " " + root;
            if (!Files.exists(root)) {
                throw new ConfigException(what + ": does not exist; give " + layout);
            }
            if (!Files.isDirectory(root)) {
                throw new ConfigException(what + ": is not a directory; give " + layout);
            }
            if (!Files.isReadable(root) || !Files.isExecutable(root)) {
                throw new ConfigException(what + ": cannot be read (permission denied); give this process read "
                        + "access to it");
            }
            List<String> dirs = List.of(StoragePaths.SEALED, StoragePaths.CACHE, StoragePaths.UPDATE,
                    StoragePaths.UPDATE_CACHE);
            if (dirs.stream().noneMatch(d -> Files.isDirectory(root.resolve(d)))) {
                throw new ConfigException(what + ": holds no " + StoragePaths.SEALED + "/ or " + StoragePaths.CACHE
                        + "/ directory; give the storage path itself, the directory holding them");
            }
            if (sectors(what, root.resolve(StoragePaths.SEALED)) + sectors(what, root.resolve(StoragePaths.UPDATE))
                    == 0) {
                warnings.add(what + ": holds no sector yet (" + StoragePaths.SEALED + "/ and " + StoragePaths.UPDATE
                        + "/ are empty)");
            }
        }
        return warnings;
    }

    /** Replica files ({@code s-t0<miner>-<number>}) in a sealed or update directory; 0 when it does not exist. */
    private static int sectors(String what, Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "s-t0*-*")) {
            for (Path ignored : entries) {
                n++;
            }
        } catch (IOException e) {
            throw new ConfigException(what + ": " + dir + " cannot be read (" + e.getMessage()
                    + "); give the worker read access to it");
        }
        return n;
    }

    /** HOST:PORT[,HOST:PORT...] as addresses, unresolved; a malformed entry is refused. */
    private static List<InetSocketAddress> addresses(String what, String bootstrap) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String entry : bootstrap.split(",")) {
            String e = entry.strip();
            int colon = e.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(e.substring(colon + 1));
                } catch (NumberFormatException notNumber) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException(what + ": '" + e + "' is not HOST:PORT; give the broker's address, e.g. "
                        + "127.0.0.1:9092");
            }
            String host = e.substring(0, colon).replaceAll("^\\[|]$", "");
            out.add(InetSocketAddress.createUnresolved(host, port));
        }
        return out;
    }

    /** Null once some address accepts a connection before {@code end}; else the last problem seen. */
    private static String reach(List<InetSocketAddress> addresses, long end) {
        String problem = null;
        do {
            for (InetSocketAddress a : addresses) {
                InetSocketAddress resolved = new InetSocketAddress(a.getHostString(), a.getPort());
                if (resolved.isUnresolved()) {
                    problem = a.getHostString() + " does not resolve";
                    continue;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                try (Socket s = new Socket()) {
                    s.connect(resolved, (int) Math.max(100, Math.min(left, 2000)));
                    return null;
                } catch (IOException e) {
                    problem = a.getHostString() + ":" + a.getPort() + ": " + reason(e);
                }
            }
        } while (pause(end));
        return problem;
    }

    /** Waits before the next attempt; false when {@code end} has passed. */
    private static boolean pause(long end) {
        long left = end - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            Thread.sleep(Math.min(RETRY.toMillis(), TimeUnit.NANOSECONDS.toMillis(left) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /** The first message along the causes; the HTTP client's refused connection has none at all. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof java.net.ConnectException ? "Connection refused" : e.getClass().getSimpleName();
    }

    private static String answer(HttpResponse<String> r) {
        String body = r.body().strip().replaceAll("\\s+", " ");
        String type = r.headers().firstValue("Content-Type").orElse("no content type");
        return "HTTP " + r.statusCode() + ", " + type + (body.isEmpty() ? ""
                : ": " + (body.length() > 60 ? body.substring(0, 60) + "..." : body));
    }

    private static String words(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
