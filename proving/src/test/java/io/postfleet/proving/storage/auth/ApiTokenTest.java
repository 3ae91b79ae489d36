package io.postfleet.proving.storage.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * HS256 tokens: the signature check against the HMAC example of RFC 7515 (JWS), appendix A.1, whose key, token and
 * payload are written out there; the header and payload of the admin token Lotus makes
 * ({@code lotus-miner auth create-token --perm admin}: gbrlsnchs/jwt's header, api.AllPermissions in the payload);
 * and every way a token is refused.
 */
class ApiTokenTest {

    /** RFC 7515 A.1: the JWK "k" of the HMAC key, the complete JWS, its payload. */
    static final String RFC7515_KEY = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
    static final String RFC7515_JWS = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String RFC7515_PAYLOAD = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
    /** The first two parts of every admin token Lotus prints. */
    static final String LOTUS_ADMIN_HEADER_AND_PAYLOAD = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJBbGxvdyI6WyJyZWFkIiwid3JpdGUiLCJzaWduIiwiYWRtaW4iXX0";

    static final TokenSecret SECRET = TokenSecret.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @Test
    void theRfc7515HmacExampleVerifies() throws Exception {
        byte[] key = Base64.getUrlDecoder().decode(RFC7515_KEY);
        assertEquals(RFC7515_PAYLOAD, new String(Hs256Jwt.verify(RFC7515_JWS, key), StandardCharsets.UTF_8));
        String altered = RFC7515_JWS.replace(".dBjf", ".eBjf");
        assertThrows(TokenRejectedException.class, () -> Hs256Jwt.verify(altered, key));
    }

    @Test
    void theRfc7515ExampleIsRefusedAsExpiredAndAsNoLotusToken() {
        TokenSecret rfcKey = TokenSecret.of(Base64.getUrlDecoder().decode(RFC7515_KEY));
        assertEquals("the token expired at 2011-03-22T18:43:00Z", assertThrows(TokenRejectedException.class,
                () -> ApiToken.verify(RFC7515_JWS, rfcKey, Instant.now())).getMessage());
        assertEquals("the token's payload has no Allow list (not a Lotus API token)", assertThrows(
                TokenRejectedException.class, () -> ApiToken.verify(RFC7515_JWS, rfcKey,
                        Instant.parse("2011-01-01T00:00:00Z"))).getMessage());
    }

    @Test
    void anAdminTokenIsLotusSHeaderAndPayload() throws Exception {
        String token = ApiToken.upTo(ApiPermission.ADMIN).sign(SECRET);
        assertTrue(token.startsWith(LOTUS_ADMIN_HEADER_AND_PAYLOAD + "."), token);
        ApiToken back = ApiToken.verify(token, SECRET, Instant.now());
        assertEquals(List.of(ApiPermission.READ, ApiPermission.WRITE, ApiPermission.SIGN, ApiPermission.ADMIN),
                back.allow());
        assertEquals(null, back.expiresAt());
    }

    @Test
    void permissionsGrantWhatLotusGrants() throws Exception {
        ApiToken read = ApiToken.verify(ApiToken.upTo(ApiPermission.READ).sign(SECRET), SECRET, Instant.now());
        assertTrue(read.allows(ApiPermission.READ));
        assertFalse(read.allows(ApiPermission.ADMIN));
        ApiToken sign = ApiToken.upTo(ApiPermission.SIGN);
        assertEquals("{\"Allow\":[\"read\",\"write\",\"sign\"]}", sign.payloadJson());
        assertFalse(sign.allows(ApiPermission.ADMIN));
        ApiToken adminOnly = new ApiToken(List.of(ApiPermission.ADMIN), null);
        assertTrue(adminOnly.allows(ApiPermission.READ), "admin implies every permission");
        assertEquals("'root' is not a permission; use one of read, write, sign, admin",
                assertThrows(IllegalArgumentException.class, () -> ApiPermission.parse("root")).getMessage());
    }

    @Test
    void aTokenOfAnotherSecretAnAlteredOneAndAnUnsignedOneAreRefused() {
        String token = ApiToken.upTo(ApiPermission.ADMIN).sign(TokenSecret.random());
        assertEquals("the token's signature does not match: it was made with another secret, or altered",
                refusal(token));
        String mine = ApiToken.upTo(ApiPermission.READ).sign(SECRET);
        String[] p = mine.split("\\.");
        String forged = p[0] + "." + LOTUS_ADMIN_HEADER_AND_PAYLOAD.split("\\.")[1] + "." + p[2];
        assertEquals("the token's signature does not match: it was made with another secret, or altered",
                refusal(forged));
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + p[1] + ".";
        assertTrue(refusal(none).startsWith("the token's signature is not base64url") || refusal(none)
                .startsWith("the token is not signed with HS256"), refusal(none));
        String noneSigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + p[1] + "." + p[2];
        assertEquals("the token is not signed with HS256 (header {\"alg\":\"none\"})", refusal(noneSigned));
        assertEquals("the token is not a JWT (header.payload.signature)", refusal("not-a-token"));
    }

    @Test
    void anExpiredTokenIsRefusedAndAFreshOneAccepted() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        String expired = ApiToken.upTo(ApiPermission.ADMIN).expiringAt(now.minusSeconds(1)).sign(SECRET);
        assertEquals("the token expired at 2025-12-31T23:59:59Z", assertThrows(TokenRejectedException.class,
                () -> ApiToken.verify(expired, SECRET, now)).getMessage());
        String fresh = ApiToken.upTo(ApiPermission.ADMIN).expiringAt(now.plus(Duration.ofHours(1))).sign(SECRET);
        assertTrue(ApiToken.verify(fresh, SECRET, now).allows(ApiPermission.ADMIN));
        assertTrue(ApiToken.upTo(ApiPermission.ADMIN).expiringAt(now).payloadJson().endsWith(",\"exp\":1767225600}"));
    }

    private static String refusal(String token) {
        return assertThrows(TokenRejectedException.class, () -> ApiToken.verify(token, SECRET, Instant.now()))
                .getMessage();
    }
}
