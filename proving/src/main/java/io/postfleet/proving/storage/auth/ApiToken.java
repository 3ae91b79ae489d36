package io.postfleet.proving.storage.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a Lotus API token grants: its payload {@code {"Allow":["read","write"]}}, with an optional expiry {@code exp}
 * (seconds since the epoch, RFC 7519). Lotus's tokens never expire; {@code exp} is for tokens handed out for a
 * while. Names in {@code Allow} this code does not know are kept out of the grant, not refused.
 *
 * @param allow     the permissions granted, in Lotus's order
 * @param expiresAt when the token stops being accepted; null for never
 */
public record ApiToken(List<ApiPermission> allow, Instant expiresAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ApiToken {
        allow = List.copyOf(allow);
    }

    /** A token granting {@code perm} and every permission before it, as {@code lotus-miner auth create-token}. */
    public static ApiToken upTo(ApiPermission perm) {
        return new ApiToken(perm.upTo(), null);
    }

    public ApiToken expiringAt(Instant at) {
        return new ApiToken(allow, at);
    }

    /** Whether the token grants {@code perm}: listed, or admin, which grants everything. */
    public boolean allows(ApiPermission perm) {
        return allow.contains(perm) || allow.contains(ApiPermission.ADMIN);
    }

    /** The payload JSON: {@code {"Allow":["read","write","sign","admin"]}} (and {@code "exp":N} when it expires). */
    public String payloadJson() {
        String perms = allow.stream().map(p -> "\"" + p.wireName() + "\"").collect(Collectors.joining(","));
        return "{\"Allow\":[" + perms + "]" + (expiresAt == null ? "" : ",\"exp\":" + expiresAt.getEpochSecond()) + "}";
    }

    /** The signed token, as it goes into {@code Authorization: Bearer ...}. */
    public String sign(TokenSecret secret) {
        return Hs256Jwt.sign(payloadJson().getBytes(StandardCharsets.UTF_8), secret.key());
    }

    /**
     * Checks {@code token}'s signature against {@code secret} and its expiry against {@code now}, and returns what it
     * grants.
     *
     * @throws TokenRejectedException for a bad signature, a payload without {@code Allow}, or an expired token
     */
    public static ApiToken verify(String token, TokenSecret secret, Instant now) throws TokenRejectedException {
        byte[] payload = Hs256Jwt.verify(token, secret.key());
        JsonNode p;
        try {
            p = JSON.readTree(payload);
        } catch (Exception e) {
            throw new TokenRejectedException("the token's payload is not JSON");
        }
        if (p == null || !p.isObject()) {
            throw new TokenRejectedException("the token's payload is not a JSON object");
        }
        Instant expires = null;
        JsonNode exp = p.get("exp");
        if (exp != null && !exp.isNull()) {
            if (!exp.isNumber()) {
                throw new TokenRejectedException("the token's exp is not a number of seconds");
            }
            expires = Instant.ofEpochSecond(exp.asLong());
            if (!now.isBefore(expires)) {
                throw new TokenRejectedException("the token expired at " + expires);
            }
        }
        JsonNode allow = p.get("Allow");
        if (allow == null || !allow.isArray()) {
            throw new TokenRejectedException("the token's payload has no Allow list (not a Lotus API token)");
        }
        List<ApiPermission> granted = new ArrayList<>();
        for (ApiPermission perm : ApiPermission.values()) {
            for (JsonNode n : allow) {
                if (n.isTextual() && n.textValue().equals(perm.wireName())) {
                    granted.add(perm);
                    break;
                }
            }
        }
        return new ApiToken(granted, expires);
    }

    /** The grant in words, e.g. {@code read, write}; {@code nothing} when empty. */
    public String describe() {
        return allow.isEmpty() ? "nothing" : allow.stream().map(ApiPermission::wireName).collect(Collectors.joining(", "));
    }
}
