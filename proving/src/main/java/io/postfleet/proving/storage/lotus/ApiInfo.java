package io.postfleet.proving.storage.lotus;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An API info string as Lotus writes it in {@code MINER_API_INFO}: {@code TOKEN:/ip4/HOST/tcp/PORT/http}, the address
 * also {@code /ip6/...}, {@code /dns/...}, {@code /dns4/...}, {@code /dns6/...}, ending {@code /http} (or nothing),
 * {@code /https}, {@code /ws}, {@code /wss}, or a URL ({@code TOKEN:http://host:port}). As in Lotus, the part before
 * the first colon is the token only when it has a JWT's shape; a leading {@code NAME=} (the way
 * {@code auth api-info} prints it) is dropped.
 *
 * @param token  the bearer token, empty when the string has none
 * @param scheme {@code http} or {@code https}
 * @param host   a DNS name or an IP literal (IPv6 without brackets)
 * @param port   1..65535
 * @param path   a path prefix from a URL form, empty or starting with {@code /}
 */
public record ApiInfo(String token, String scheme, String host, int port, String path) {

    /** Lotus's test for "this string starts with a token" (cliutil's infoWithToken). */
    private static final Pattern WITH_TOKEN = Pattern.compile("^[a-zA-Z0-9\\-_]+?\\.[a-zA-Z0-9\\-_]+?\\.([a-zA-Z0-9\\-_]+)?:.+$");
    private static final Pattern ENV_PREFIX = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*=");
    /** A JWT-shaped token at the start (after a {@code NAME=}), up to the colon or the end: what messages mask. */
    private static final Pattern LEADING_TOKEN = Pattern.compile(
            "^(\\s*(?:[A-Za-z_][A-Za-z0-9_]*=)?)[a-zA-Z0-9\\-_]+?\\.[a-zA-Z0-9\\-_]+?\\.[a-zA-Z0-9\\-_]*(?=:|\\s*$)");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final List<String> HOST_PROTOCOLS = List.of("ip4", "ip6", "dns", "dns4", "dns6");

    public ApiInfo {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 1..65535");
        }
    }

    /** The API info of a server at {@code host:port} (plain HTTP) with {@code token}. */
    public static ApiInfo of(String token, String host, int port) {
        return new ApiInfo(token, "http", host, port, "");
    }

    /**
     * Reads an API info string.
     *
     * @throws IllegalArgumentException saying what is wrong, with the expected form; the message shows the string
     *                                  with its token masked ({@link #mask}), since it is printed on a terminal
     */
    public static ApiInfo parse(String given) {
        String text = mask(given == null ? "" : given);
        String s = given == null ? "" : given.strip();
        if (ENV_PREFIX.matcher(s).find()) {
            s = s.substring(s.indexOf('=') + 1);
        }
        String token = "";
        if (WITH_TOKEN.matcher(s).matches()) {
            token = s.substring(0, s.indexOf(':'));
            s = s.substring(s.indexOf(':') + 1);
        }
        if (s.startsWith("/")) {
            return multiaddr(token, s, text);
        }
        if (s.matches("(?i)(https?|wss?)://.*")) {
            return url(token, s, text);
        }
        throw new IllegalArgumentException("'" + text + "' is not an API info string; write TOKEN:/ip4/HOST/tcp/PORT/http"
                + " (as lotus-miner auth api-info prints it) or TOKEN:http://HOST:PORT");
    }

    /** The server's base URL, e.g. {@code http://10.0.0.5:2345}. */
    public String baseUrl() {
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
    }

    /** Where Lotus's storage endpoints live on that server: {@code <base>/remote}. */
    public String remoteUrl() {
        return baseUrl() + "/remote";
    }

    /** The address as a multiaddr, e.g. {@code /ip4/10.0.0.5/tcp/2345/http}. */
    public String multiaddr() {
        String proto = IPV4.matcher(host).matches() ? "ip4" : host.contains(":") ? "ip6" : "dns";
        return "/" + proto + "/" + host + "/tcp/" + port + "/" + scheme;
    }

    /** The {@code Authorization} header value, {@code Bearer TOKEN}; empty without a token. */
    public String authorization() {
        return token.isEmpty() ? "" : "Bearer " + token;
    }

    /** {@code TOKEN:/ip4/HOST/tcp/PORT/http}, Lotus's form (a URL when there is a path prefix). */
    @Override
    public String toString() {
        return (token.isEmpty() ? "" : token + ":") + address();
    }

    /** As {@link #toString} with the token written {@code ****}: what a start-up print or a log line shows. */
    public String masked() {
        return (token.isEmpty() ? "" : "****:") + address();
    }

    /**
     * An API info string as given, its leading token (when it has a JWT's shape) written {@code ****}; for messages
     * about a string that may not parse.
     */
    public static String mask(String text) {
        return LEADING_TOKEN.matcher(text).replaceFirst("$1****");
    }

    private String address() {
        return path.isEmpty() ? multiaddr() : baseUrl();
    }

    private static ApiInfo multiaddr(String token, String addr, String text) {
        String[] p = addr.substring(1).split("/", -1);
        String expected = "; write /ip4/HOST/tcp/PORT/http (or /ip6/, /dns/, /dns4/, /dns6/)";
        if (p.length < 4 || !HOST_PROTOCOLS.contains(p[0]) || !p[2].equals("tcp")) {
            throw new IllegalArgumentException("'" + text + "': the address " + addr + " is not HOST/tcp/PORT" + expected);
        }
        String host = p[1];
        if (host.isEmpty() || (p[0].equals("ip4") && !IPV4.matcher(host).matches())
                || (p[0].equals("ip6") && !host.contains(":"))) {
            throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an /" + p[0] + " address" + expected);
        }
        int port = port(p[3], text);
        String scheme = "http";
        if (p.length == 5) {
            scheme = switch (p[4]) {
                case "http", "ws" -> "http";
                case "https", "wss" -> "https";
                default -> throw new IllegalArgumentException("'" + text + "': /" + p[4] + " after the port is not /http,"
                        + " /https, /ws or /wss");
            };
        } else if (p.length > 5) {
            throw new IllegalArgumentException("'" + text + "': unexpected /" + String.join("/", List.of(p).subList(5,
                    p.length)) + " after the address" + expected);
        }
        return new ApiInfo(token, scheme, host, port, "");
    }

    private static ApiInfo url(String token, String url, String text) {
        java.net.URI u;
        try {
            u = java.net.URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + url + " is not a URL (" + e.getMessage() + ")");
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("https") || scheme.equals("wss");
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': " + url + " names no host");
        }
        if (u.getQuery() != null || u.getFragment() != null) {
            throw new IllegalArgumentException("'" + text + "': " + url + " has a query or fragment; give the server's "
                    + "base URL");
        }
        String host = u.getHost().replaceAll("^\\[|]$", "");
        int port = u.getPort() > 0 ? u.getPort() : secure ? 443 : 80;
        String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
        return new ApiInfo(token, secure ? "https" : "http", host, port, path);
    }

    private static int port(String text, String whole) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("'" + whole + "': '" + text + "' is not a TCP port (1..65535)");
    }
}
