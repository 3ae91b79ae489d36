package io.postfleet.proving.storage.serve;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.postfleet.proving.storage.auth.SecretSource;

/**
 * How a storage endpoint serves.
 *
 * @param listen        the address it binds to (port 0: any free port)
 * @param parallelReads sector reads at once (Lotus's post-parallel-reads, 32); more requests wait for a slot
 * @param readTimeout   longest a request may take, waiting for a slot included; past it the answer is 500
 * @param secret        where the token secret comes from
 * @param nodeId        this node's name in {@code /remote/stat} and the storage announcement
 */
public record ServeSettings(InetSocketAddress listen, int parallelReads, Duration readTimeout, SecretSource secret,
                            String nodeId) {

    public static final int DEFAULT_PARALLEL_READS = 32;
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(1);
    /** Largest request body accepted: a SingleVanillaParams is well under 2 KiB. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    public ServeSettings {
        if (parallelReads < 1) {
            throw new IllegalArgumentException("parallel reads must be at least 1, got " + parallelReads);
        }
        if (readTimeout.isZero() || readTimeout.isNegative()) {
            throw new IllegalArgumentException("the read time-out must be positive, got " + readTimeout);
        }
    }

    /** The same settings under another node id. */
    public ServeSettings withNodeId(String id) {
        return new ServeSettings(listen, parallelReads, readTimeout, secret, id);
    }

    /**
     * {@code HOST:PORT} ({@code [v6]:PORT} for IPv6) as an address to bind; the host must resolve.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    public static InetSocketAddress parseListen(String text) {
        String t = text == null ? "" : text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("write HOST:PORT, e.g. 0.0.0.0:2346 or 127.0.0.1:0");
        }
        String host = t.substring(0, colon).replaceAll("^\\[|]$", "");
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t.substring(colon + 1) + "' is not a port; write HOST:PORT");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 0..65535");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("host '" + host + "' does not resolve");
        }
        return a;
    }
}
