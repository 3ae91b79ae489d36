package io.postfleet.proving.storage.lotus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * API info strings as Lotus prints and reads them ({@code MINER_API_INFO=TOKEN:/ip4/HOST/tcp/PORT/http}; cliutil's
 * ParseApiInfo takes the part before the first colon as the token when it has a JWT's shape). The token is the
 * header and payload of every admin token Lotus prints, with a made-up signature.
 */
class ApiInfoTest {

    static final String TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJyZWFkIiwid3JpdGUiLCJzaWduIiwiYWRtaW4iXX0"
            + ".c2lnbmF0dXJlLW1hZGUtdXAtZm9yLXRoaXMtdGVzdA";

    @Test
    void lotusMinerApiInfoGivesTheBaseUrlAndToken() {
        ApiInfo a = ApiInfo.parse(TOKEN + ":/ip4/127.0.0.1/tcp/2345/http");
        assertEquals(TOKEN, a.token());
        assertEquals("http://127.0.0.1:2345", a.baseUrl());
        assertEquals("http://127.0.0.1:2345/remote", a.remoteUrl());
        assertEquals("Bearer " + TOKEN, a.authorization());
        assertEquals(TOKEN + ":/ip4/127.0.0.1/tcp/2345/http", a.toString());
    }

    @Test
    void theVariableNameAuthApiInfoPrintsIsDropped() {
        ApiInfo a = ApiInfo.parse("MINER_API_INFO=" + TOKEN + ":/ip4/10.0.0.5/tcp/2345/http");
        assertEquals(TOKEN, a.token());
        assertEquals("http://10.0.0.5:2345", a.baseUrl());
    }

    @Test
    void dnsIpv6UrlsAndTokenlessAddressesAreRead() {
        assertEquals("http://miner.example:2345", ApiInfo.parse(TOKEN + ":/dns/miner.example/tcp/2345/http").baseUrl());
        assertEquals("http://miner.example:2345", ApiInfo.parse(TOKEN + ":/dns4/miner.example/tcp/2345").baseUrl());
        assertEquals("https://miner.example:443", ApiInfo.parse(TOKEN + ":/dns6/miner.example/tcp/443/wss").baseUrl());
        ApiInfo v6 = ApiInfo.parse(TOKEN + ":/ip6/::1/tcp/1234/http");
        assertEquals("http://[::1]:1234", v6.baseUrl());
        assertEquals(TOKEN + ":/ip6/::1/tcp/1234/http", v6.toString());
        ApiInfo url = ApiInfo.parse(TOKEN + ":http://10.1.2.3:2345");
        assertEquals("http://10.1.2.3:2345", url.baseUrl());
        assertEquals(TOKEN + ":/ip4/10.1.2.3/tcp/2345/http", url.toString());
        ApiInfo none = ApiInfo.parse("/ip4/127.0.0.1/tcp/2345/http");
        assertEquals("", none.token());
        assertEquals("", none.authorization());
        assertEquals("/dns/storage-1/tcp/2346/http", ApiInfo.of("", "storage-1", 2346).toString());
    }

    @Test
    void malformedStringsAreRefusedWithTheExpectedForm() {
        assertTrue(message(TOKEN).contains("is not an API info string; write TOKEN:/ip4/HOST/tcp/PORT/http"),
                message(TOKEN));
        assertTrue(message(TOKEN + ":/ip4/127.0.0.1/udp/2345").contains("is not HOST/tcp/PORT"));
        assertTrue(message(TOKEN + ":/ip4/localhost/tcp/2345/http").contains("'localhost' is not an /ip4 address"));
        assertTrue(message(TOKEN + ":/ip4/127.0.0.1/tcp/70000/http").contains("'70000' is not a TCP port"));
        assertTrue(message(TOKEN + ":/ip4/127.0.0.1/tcp/2345/quic").contains("/quic after the port"));
        assertTrue(message(TOKEN + ":/ip4/127.0.0.1/tcp/2345/http/extra").contains("unexpected /extra"));
    }

    @Test
    void theTokenIsMaskedInTheStartUpFormAndInEveryRefusal() {
        assertEquals("****:/ip4/127.0.0.1/tcp/2345/http", ApiInfo.parse(TOKEN + ":/ip4/127.0.0.1/tcp/2345/http").masked());
        assertEquals("/ip4/127.0.0.1/tcp/2345/http", ApiInfo.parse("/ip4/127.0.0.1/tcp/2345/http").masked());
        assertEquals("MINER_API_INFO=****:/ip4/10.0.0.5/tcp/2345/http",
                ApiInfo.mask("MINER_API_INFO=" + TOKEN + ":/ip4/10.0.0.5/tcp/2345/http"));
        for (String bad : new String[] {TOKEN, TOKEN + ":/ip4/localhost/tcp/2345/http", TOKEN + ":http://",
                "MINER_API_INFO=" + TOKEN + ":/ip4/127.0.0.1/tcp/70000/http", TOKEN + ":/ip4/127.0.0.1/tcp/2345/quic"}) {
            String m = message(bad);
            assertFalse(m.contains(TOKEN) || m.contains(TOKEN.substring(0, 20)), m);
            assertTrue(m.startsWith("'****") || m.startsWith("'MINER_API_INFO=****"), m);
        }
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> ApiInfo.parse(text)).getMessage();
    }
}
