package io.postfleet.messaging.serde;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and sets the registry's COMPATIBILITY rule through its v2 REST API: globally (every artifact without a rule
 * of its own) or for the artifact of one topic's values. The registry built by this project starts with a global
 * BACKWARD rule already; this is for registries run elsewhere and for tightening one topic.
 */
public final class RegistryRules {

    /** Artifacts are registered by topic in the registry's default group. */
    public static final String GROUP = "default";

    private static final Pattern CONFIG = Pattern.compile("\"config\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String api;
    private final HttpClient http;

    public RegistryRules(String registryUrl) {
        this.api = AvroSerdes.apiUrl(registryUrl);
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** The global COMPATIBILITY rule, empty when none is set. */
    public Optional<Compatibility> globalCompatibility() {
        return read("/admin/rules/COMPATIBILITY");
    }

    /** Sets (creates or replaces) the global COMPATIBILITY rule. */
    public void setGlobalCompatibility(Compatibility level) {
        write("/admin/rules", level);
    }

    /** The COMPATIBILITY rule of the artifact holding {@code topic}'s value schemas, empty when it has none. */
    public Optional<Compatibility> valueCompatibility(String topic) {
        return read(artifactPath(topic) + "/rules/COMPATIBILITY");
    }

    /**
     * Sets the COMPATIBILITY rule of the artifact holding {@code topic}'s value schemas; the artifact must exist
     * (a producer registered it, or {@code POST /groups/default/artifacts} did).
     */
    public void setValueCompatibility(String topic, Compatibility level) {
        write(artifactPath(topic) + "/rules", level);
    }

    private static String artifactPath(String topic) {
        return "/groups/" + GROUP + "/artifacts/" + URLEncoder.encode(topic + "-value", StandardCharsets.UTF_8);
    }

    private Optional<Compatibility> read(String path) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api + path)).GET(), path);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        expectOk(r, "GET", path);
        Matcher m = CONFIG.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("schema registry at " + api + " answered GET " + path
                    + " without a rule config: " + r.body());
        }
        return Optional.of(Compatibility.valueOf(m.group(1)));
    }

    private void write(String rulesPath, Compatibility level) {
        String body = "{\"type\":\"COMPATIBILITY\",\"config\":\"" + level.name() + "\"}";
        String rulePath = rulesPath + "/COMPATIBILITY";
        HttpResponse<String> r = send(json(rulePath).PUT(HttpRequest.BodyPublishers.ofString(body)), rulePath);
        if (r.statusCode() == 404) {
            // no such rule yet (the registry answers 404 for a missing rule and a missing artifact alike): create it;
            // a missing artifact fails here with the registry's own message
            r = send(json(rulesPath).POST(HttpRequest.BodyPublishers.ofString(body)), rulesPath);
            expectOk(r, "POST", rulesPath);
        } else {
            expectOk(r, "PUT", rulePath);
        }
    }

    private HttpRequest.Builder json(String path) {
        return HttpRequest.newBuilder(URI.create(api + path)).header("Content-Type", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String path) {
        try {
            return http.send(request.timeout(TIMEOUT).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("schema registry at " + api + " did not answer " + path + ": " + e
                    + "; check that it runs and the URL is right", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the schema registry at " + api, e);
        }
    }

    private void expectOk(HttpResponse<String> r, String method, String path) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("schema registry at " + api + " answered " + method + " " + path
                    + " with HTTP " + r.statusCode() + ": " + r.body());
        }
    }
}
