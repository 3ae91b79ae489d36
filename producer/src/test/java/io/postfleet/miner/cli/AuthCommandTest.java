package io.postfleet.miner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.lotus.ApiInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code post-miner auth create-token} and {@code auth api-info}: tokens as Lotus makes them (each permission with
 * those before it), signed with the secret file (made on first use), and the API info line Lotus prints.
 */
class AuthCommandTest {

    @TempDir
    Path dir;

    private record Outcome(int code, List<String> out, List<String> err) {
    }

    private static Outcome run(String... args) {
        CommandLine cl = PostMiner.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Outcome(code, out.toString().lines().toList(), err.toString().lines().toList());
    }

    @Test
    void createTokenPrintsATokenOfThePermissionAndThoseBeforeIt() throws Exception {
        Path secret = dir.resolve("token-secret");
        Outcome o = run("auth", "create-token", "--perm", "sign", "--secret", secret.toString());
        assertEquals(0, o.code(), String.join("\n", o.err()));
        assertEquals(List.of("created the token secret " + secret + " (32 random bytes, mode 0600)"), o.err());
        assertEquals(1, o.out().size(), o.out().toString());
        ApiToken t = ApiToken.verify(o.out().get(0), TokenSecret.read(secret, n -> { }), Instant.now());
        assertEquals(List.of(ApiPermission.READ, ApiPermission.WRITE, ApiPermission.SIGN), t.allow());

        Outcome admin = run("auth", "create-token", "--perm", "admin", "--secret", secret.toString(), "--expires-in",
                "1h");
        assertEquals(0, admin.code(), String.join("\n", admin.err()));
        assertEquals(List.of(), admin.err(), "the secret exists now: nothing to say");
        ApiToken a = ApiToken.verify(admin.out().get(0), TokenSecret.read(secret, n -> { }), Instant.now());
        assertTrue(a.allows(ApiPermission.ADMIN));
        assertNotNull(a.expiresAt());
        assertTrue(a.expiresAt().isAfter(Instant.now().plusSeconds(3500)), a.toString());
    }

    @Test
    void aBadPermissionOrSecretIsRefused() throws Exception {
        Outcome bad = run("auth", "create-token", "--perm", "root", "--secret", dir.resolve("s").toString());
        assertEquals(2, bad.code());
        assertEquals("--perm: 'root' is not valid: 'root' is not a permission; use one of read, write, sign, admin",
                bad.err().get(0));
        Path shortSecret = Files.write(dir.resolve("short"), new byte[3]);
        Outcome s = run("auth", "create-token", "--perm", "admin", "--secret", shortSecret.toString());
        assertEquals(2, s.code());
        assertEquals(List.of("--secret " + shortSecret + ": the token secret cannot be made or read (the token secret "
                + shortSecret + " has 3 bytes; it needs at least 32 (delete it to have a new one made, then make new "
                + "tokens))"), s.err());
    }

    @Test
    void apiInfoIsLotusSLineForTheStorageEndpoint() throws Exception {
        Path secret = dir.resolve("token-secret");
        Outcome o = run("auth", "api-info", "--perm", "admin", "--secret", secret.toString(), "--storage-listen",
                "127.0.0.1:2346");
        assertEquals(0, o.code(), String.join("\n", o.err()));
        String line = o.out().get(0);
        assertTrue(line.matches("MINER_API_INFO=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\\.eyJBbGxvdyI6WyJyZWFkIiwid3JpdGUi"
                + "LCJzaWduIiwiYWRtaW4iXX0\\.[A-Za-z0-9_-]{43}:/ip4/127\\.0\\.0\\.1/tcp/2346/http"), line);
        ApiInfo info = ApiInfo.parse(line);
        assertEquals("http://127.0.0.1:2346/remote", info.remoteUrl());
        assertTrue(ApiToken.verify(info.token(), TokenSecret.read(secret, n -> { }), Instant.now())
                .allows(ApiPermission.ADMIN));

        Outcome wildcard = run("auth", "api-info", "--perm", "admin", "--secret", secret.toString(),
                "--storage-listen", "0.0.0.0:2346");
        assertEquals(0, wildcard.code());
        assertTrue(wildcard.out().get(0).endsWith(":/ip4/127.0.0.1/tcp/2346/http"), wildcard.out().toString());
        assertTrue(wildcard.err().get(0).startsWith("note: 0.0.0.0:2346 listens on every address"), wildcard.err()
                .toString());
    }

    @Test
    void apiInfoNamesTheOperatorApiUnlessAStorageAddressIsGiven() throws Exception {
        Assumptions.assumeTrue(System.getenv("POSTFLEET_STORAGE_LISTEN") == null
                && System.getenv("POSTFLEET_API_PORT") == null && System.getenv("POSTFLEET_API_HOST") == null);
        Outcome api = run("auth", "api-info", "--perm", "read", "--secret", dir.resolve("s").toString(),
                "--api-port", "2399");
        assertEquals(0, api.code(), api.err().toString());
        ApiInfo info = ApiInfo.parse(api.out().get(0));
        assertEquals("/ip4/127.0.0.1/tcp/2399/http", info.multiaddr());
        assertTrue(ApiToken.verify(info.token(), TokenSecret.read(dir.resolve("s"), n -> { }), Instant.now())
                .allows(ApiPermission.READ));
        Outcome apiZero = run("auth", "api-info", "--perm", "admin", "--secret", dir.resolve("s").toString(),
                "--api-port", "0");
        assertEquals(2, apiZero.code());
        assertEquals(List.of("--api-port 0: port 0 is any free port, known only once the miner listens; give a fixed "
                + "port"), apiZero.err());
        Outcome zero = run("auth", "api-info", "--perm", "admin", "--secret", dir.resolve("s").toString(),
                "--storage-listen", "127.0.0.1:0");
        assertEquals(2, zero.code());
        assertEquals(List.of("--storage-listen 127.0.0.1:0: port 0 is any free port, known only once the miner listens;"
                + " give a fixed port"), zero.err());
    }
}
