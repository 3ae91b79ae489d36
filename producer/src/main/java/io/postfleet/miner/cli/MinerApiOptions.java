package io.postfleet.miner.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.lotus.ApiInfo;
import io.postfleet.proving.storage.remote.RemoteReadSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where the running miner's operator API is and the token it is asked with, as Lotus's commands find the miner:
 * {@code MINER_API_INFO=TOKEN:/ip4/HOST/tcp/PORT/http} when set; otherwise {@code --api} (or
 * {@code POSTFLEET_MINER_API}, default {@code http://127.0.0.1:2346}) with a short-lived token signed with this
 * host's token secret, as {@code lotus-miner} reads the repository's token file on the miner's own machine.
 * {@code --json} asks for the answer as JSON.
 */
final class MinerApiOptions {

    static final String DEFAULT_URL = "http://127.0.0.1:2346";
    /** How long a token signed here for one request is valid. */
    static final Duration LOCAL_TOKEN_LIFE = Duration.ofMinutes(10);

    @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:POSTFLEET_MINER_API:-}",
            description = "The running miner's operator API (post-miner run --api-port; env POSTFLEET_MINER_API); "
                    + "default: MINER_API_INFO's address when set, else " + DEFAULT_URL + ".")
    String url;

    @Option(names = "--secret", paramLabel = "FILE", defaultValue = "${env:POSTFLEET_TOKEN_SECRET:-${sys:user.home}/.postfleet/token-secret}",
            description = "Without a token in MINER_API_INFO, sign one with this token secret (the miner's own; "
                    + "default ${DEFAULT-VALUE}).")
    Path secret;

    @Option(names = "--json", description = "Print the answer as JSON.")
    boolean json;

    /** The API base URL and the Authorization header to send ({@code ""} for none). */
    record Target(String url, String authorization, String origin) {
    }

    Target target(CommandLine cl, ApiPermission perm, Map<String, String> env) {
        String info = env.get(RemoteReadSettings.MINER_API_INFO);
        ApiInfo parsed = null;
        if (info != null && !info.isBlank()) {
            try {
                parsed = ApiInfo.parse(info);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, RemoteReadSettings.MINER_API_INFO + ": " + e.getMessage());
            }
        }
        String base = url != null && !url.isBlank() ? url : parsed != null ? parsed.baseUrl() : DEFAULT_URL;
        try {
            URI.create(base).toURL();
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(cl, "--api " + base + " is not a URL (http://HOST:PORT)");
        }
        if (parsed != null && !parsed.token().isEmpty()) {
            return new Target(base, "Bearer " + parsed.token(), "the token of MINER_API_INFO");
        }
        if (Files.isReadable(secret)) {
            try {
                TokenSecret s = TokenSecret.read(secret, note -> { });
                String token = ApiToken.upTo(perm).expiringAt(Instant.now().plus(LOCAL_TOKEN_LIFE)).sign(s);
                return new Target(base, "Bearer " + token, "a token signed with " + secret);
            } catch (IOException | RuntimeException e) {
                throw new CommandLine.ParameterException(cl, "--secret " + secret + ": " + e.getMessage());
            }
        }
        return new Target(base, "", "no token");
    }

    /** Sends the request and prints the answer; exit 0 on 200, 2 on a refused request, 1 when unreachable. */
    int call(CommandLine cl, ApiPermission perm, String method, String path, Duration timeout) {
        Target t = target(cl, perm, System.getenv());
        URI uri = URI.create(t.url().replaceAll("/+$", "") + path);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Accept", json ? "application/json" : "text/plain");
        if (!t.authorization().isEmpty()) {
            request.header("Authorization", t.authorization());
        }
        try {
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                cl.getOut().print(r.body());
                if (json) {
                    cl.getOut().println();
                }
                cl.getOut().flush();
                return 0;
            }
            String body = r.body().strip();
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                cl.getErr().println("the miner at " + t.url() + " refused " + t.origin() + ": " + body);
            } else {
                cl.getErr().println(body);
            }
            cl.getErr().flush();
            return 2;
        } catch (ConnectException e) {
            cl.getErr().println("no miner answers at " + t.url() + ": start `post-miner run` (its --api-port), or "
                    + "point --api / MINER_API_INFO at it");
            cl.getErr().flush();
            return 1;
        } catch (HttpTimeoutException e) {
            cl.getErr().println("the miner at " + t.url() + " did not answer within " + timeout.toSeconds() + " s");
            cl.getErr().flush();
            return 1;
        } catch (IOException e) {
            cl.getErr().println("asking the miner at " + t.url() + " failed: " + e.getMessage());
            cl.getErr().flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
