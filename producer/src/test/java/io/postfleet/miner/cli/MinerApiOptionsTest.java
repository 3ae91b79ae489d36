package io.postfleet.miner.cli;

import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.TokenSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the operator commands find the miner and the token to ask it with, Lotus's way first. */
class MinerApiOptionsTest {

    @TempDir
    Path dir;

    private MinerApiOptions options(String... args) {
        InfoCommand info = new InfoCommand();
        new CommandLine(info).parseArgs(args);
        return info.api;
    }

    private static final CommandLine CL = new CommandLine(new InfoCommand());

    @Test
    void minerApiInfoGivesTheAddressAndTheToken() throws Exception {
        TokenSecret secret = TokenSecret.loadOrCreate(dir.resolve("s"), n -> { });
        String token = ApiToken.upTo(ApiPermission.READ).sign(secret);
        MinerApiOptions.Target t = options("--secret", dir.resolve("absent").toString())
                .target(CL, ApiPermission.READ, Map.of("MINER_API_INFO", token + ":/ip4/127.0.0.5/tcp/2399/http"));
        assertEquals("http://127.0.0.5:2399", t.url());
        assertEquals("Bearer " + token, t.authorization());
        // --api wins over the address, the token still comes from MINER_API_INFO
        MinerApiOptions.Target explicit = options("--api", "http://127.0.0.1:9999")
                .target(CL, ApiPermission.READ, Map.of("MINER_API_INFO", token + ":/ip4/127.0.0.5/tcp/2399/http"));
        assertEquals("http://127.0.0.1:9999", explicit.url());
        assertEquals("Bearer " + token, explicit.authorization());
    }

    @Test
    void withoutMinerApiInfoATokenIsSignedWithTheLocalSecretForThePermissionNeeded() throws Exception {
        TokenSecret secret = TokenSecret.loadOrCreate(dir.resolve("s"), n -> { });
        MinerApiOptions.Target t = options("--secret", dir.resolve("s").toString())
                .target(CL, ApiPermission.READ, Map.of());
        assertEquals(MinerApiOptions.DEFAULT_URL, t.url());
        ApiToken token = ApiToken.verify(t.authorization().substring(7), secret, Instant.now());
        assertTrue(token.allows(ApiPermission.READ));
        assertFalse(token.allows(ApiPermission.ADMIN), "no more than the request needs");
        assertTrue(token.expiresAt().isBefore(Instant.now().plus(MinerApiOptions.LOCAL_TOKEN_LIFE).plusSeconds(5)));
        MinerApiOptions.Target none = options("--secret", dir.resolve("absent").toString())
                .target(CL, ApiPermission.READ, Map.of());
        assertEquals("", none.authorization());
    }

    @Test
    void aBadMinerApiInfoIsRefusedNamingIt() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> options().target(CL, ApiPermission.READ, Map.of("MINER_API_INFO", "nonsense")));
        assertTrue(e.getMessage().startsWith("MINER_API_INFO: "), e.getMessage());
    }
}
