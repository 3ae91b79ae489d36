package io.postfleet.proving.storage.remote;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.cli.ConfigException;
import io.postfleet.cli.DurationConverter;
import io.postfleet.proving.storage.lotus.ApiInfo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a prover reads the sectors no local path holds: the token it sends to the holders the storage topic announces,
 * fixed nodes asked as well (a Lotus storage node, in Lotus's API info form), how many sectors are asked for at once
 * and how long one holder may take. The keys are defined once here; the worker and the miner list them.
 *
 * @param fixed    nodes asked for every sector after the announced holders
 * @param token    the API token for announced holders (admin, signed with the miner's secret); empty: none sent
 * @param parallel sectors asked for at once
 * @param timeout  longest one holder may take to answer before the next is asked
 */
public record RemoteReadSettings(List<ApiInfo> fixed, String token, int parallel, Duration timeout) {

    /** The variable Lotus tools read the miner's API info (token and address) from. */
    public static final String MINER_API_INFO = "MINER_API_INFO";

    public static final Key<List<ApiInfo>> REMOTE_STORAGE = Key.list("--remote-storage", "POSTFLEET_REMOTE_STORAGE",
            "API_INFO", "a storage node to read sectors from when no local path holds them, as TOKEN:/ip4/HOST/tcp/"
                    + "PORT/http (Lotus's form; a lotus-miner, a Lotus worker or a postfleet storage node)",
            ApiInfo::parse).maskedAs(nodes -> nodes.stream().map(ApiInfo::masked).toList().toString());
    public static final Key<String> STORAGE_TOKEN = Key.text("--storage-token", "POSTFLEET_STORAGE_TOKEN", "TOKEN", "",
            "API token (admin) for the storage nodes announced on the storage topic (`post-miner auth create-token "
                    + "--perm admin`); empty: the token of " + MINER_API_INFO + " when it is set").masked();
    public static final Key<Integer> REMOTE_PARALLEL = Key.of("--remote-parallel", "POSTFLEET_REMOTE_PARALLEL", "N",
            "32", "sectors read from other nodes at once", Integer::parseInt)
            .must(n -> n >= 1 && n <= 1024, "1..1024");
    public static final Key<Duration> REMOTE_TIMEOUT = Key.of("--remote-timeout", "POSTFLEET_REMOTE_TIMEOUT",
            "DURATION", "30s", "longest one storage node may take to answer before the next holder is asked",
            DurationConverter::parse).must(d -> !d.isNegative() && !d.isZero(), "must be positive, e.g. 30s");

    /**
     * {@value #MINER_API_INFO} as a setting of its own, so that a process that reads it prints it (its token masked)
     * and refuses a malformed one at start-up; empty when not set. {@link #from} reads the same variable.
     */
    public static final Key<Optional<ApiInfo>> MINER_API = Key.env(MINER_API_INFO, "TOKEN:/ip4/HOST/tcp/PORT/http",
            "", "the miner's API info, as lotus-miner auth api-info prints it: its token is sent to announced storage "
                    + "nodes when --storage-token is empty",
            t -> t.isBlank() ? Optional.<ApiInfo>empty() : Optional.of(ApiInfo.parse(t)))
            .maskedAs(a -> a.map(ApiInfo::masked).orElse(""));

    /** The keys, for a process's configuration definition. */
    public static final List<Key<?>> KEYS = List.of(REMOTE_STORAGE, STORAGE_TOKEN, REMOTE_PARALLEL, REMOTE_TIMEOUT);

    public RemoteReadSettings {
        fixed = List.copyOf(fixed);
        token = token == null ? "" : token;
    }

    /** No fixed nodes, no token, 32 at once, 30 s per holder. */
    public static RemoteReadSettings defaults() {
        return new RemoteReadSettings(List.of(), "", 32, Duration.ofSeconds(30));
    }

    /** The settings resolved values describe; the token falls back to {@value #MINER_API_INFO}'s. */
    public static RemoteReadSettings from(ConfigDef.Config c, Map<String, String> env) {
        String token = c.get(STORAGE_TOKEN);
        if (token.isEmpty() && env.get(MINER_API_INFO) != null && !env.get(MINER_API_INFO).isBlank()) {
            try {
                token = ApiInfo.parse(env.get(MINER_API_INFO)).token();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(MINER_API_INFO + ": " + e.getMessage());
            }
        }
        return new RemoteReadSettings(c.get(REMOTE_STORAGE), token, c.get(REMOTE_PARALLEL), c.get(REMOTE_TIMEOUT));
    }

    public RemoteReadSettings withToken(String t) {
        return new RemoteReadSettings(fixed, t, parallel, timeout);
    }

    public RemoteReadSettings withFixed(List<ApiInfo> nodes) {
        return new RemoteReadSettings(nodes, token, parallel, timeout);
    }

    /** The fixed nodes as sources named by their address. */
    public List<RemoteVanillaReads.Source> sources() {
        return fixed.stream().map(a -> new RemoteVanillaReads.Source(a.baseUrl(), a)).toList();
    }
}
