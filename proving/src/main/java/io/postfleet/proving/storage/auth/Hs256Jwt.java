package io.postfleet.proving.storage.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON Web Tokens signed with HMAC-SHA256 (RFC 7519, JWS compact form of RFC 7515): {@code header.payload.signature},
 * each part base64url without padding. Only {@code "alg":"HS256"} is accepted, so a token cannot choose a weaker
 * algorithm (or {@code none}); the signature is compared in constant time.
 */
public final class Hs256Jwt {

    /** The header Lotus's tokens carry (gbrlsnchs/jwt writes it in this order). */
    static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Hs256Jwt() {
    }

    /** A token carrying {@code payload} (JSON bytes), signed with {@code key}. */
    public static String sign(byte[] payload, byte[] key) {
        String signingInput = B64.encodeToString(HEADER.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payload);
        return signingInput + "." + B64.encodeToString(mac(key, signingInput));
    }

    /**
     * The payload of {@code token} once its signature is checked against {@code key}.
     *
     * @throws TokenRejectedException when it is not a compact JWS, its algorithm is not HS256 or the signature does
     *                                not match (a token made with another secret, or altered)
     */
    public static byte[] verify(String token, byte[] key) throws TokenRejectedException {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenRejectedException("the token is not a JWT (header.payload.signature)");
        }
        byte[] header = part(parts[0], "header");
        byte[] payload = part(parts[1], "payload");
        byte[] signature = part(parts[2], "signature");
        JsonNode h;
        try {
            h = JSON.readTree(header);
        } catch (Exception e) {
            throw new TokenRejectedException("the token's header is not JSON");
        }
        if (h == null || !h.isObject() || !"HS256".equals(h.path("alg").asText(null))) {
            throw new TokenRejectedException("the token is not signed with HS256 (header " + new String(header,
                    StandardCharsets.UTF_8) + ")");
        }
        byte[] expected = mac(key, parts[0] + "." + parts[1]);
        if (!MessageDigest.isEqual(expected, signature)) {
            throw new TokenRejectedException("the token's signature does not match: it was made with another secret, "
                    + "or altered");
        }
        return payload;
    }

    private static byte[] part(String text, String what) throws TokenRejectedException {
        if (text.isEmpty() || text.indexOf('=') >= 0) {
            throw new TokenRejectedException("the token's " + what + " is not base64url without padding");
        }
        try {
            return UNB64.decode(text);
        } catch (IllegalArgumentException e) {
            throw new TokenRejectedException("the token's " + what + " is not base64url without padding");
        }
    }

    private static byte[] mac(byte[] key, String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
