package io.postfleet.miner.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.cli.DurationConverter;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.SecretSource;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.serve.StorageKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code post-miner auth}: API tokens for the storage endpoints, as {@code lotus-miner auth}: {@code create-token}
 * prints a token, {@code api-info} prints it as {@code MINER_API_INFO=TOKEN:/ip4/HOST/tcp/PORT/http} for the miner's
 * storage endpoint. Both sign with the token secret the endpoints check ({@code --secret}, created when missing).
 */
@Command(name = "auth", mixinStandardHelpOptions = true,
        description = "Make API tokens for the storage endpoints (/remote): create-token, api-info.",
        subcommands = {AuthCommand.CreateToken.class, ApiInfoCommand.class})
public final class AuthCommand implements Runnable {

    static final Key<ApiPermission> PERM = Key.of("--perm", null, "PERM", null, "read, write, sign or admin: the "
            + "token grants it and every permission before it (reading sectors from /remote needs admin)",
            ApiPermission::parse);
    static final Key<Duration> EXPIRES_IN = Key.of("--expires-in", null, "DURATION", "", "the token is refused after "
            + "DURATION (empty: never, as Lotus's tokens)", t -> t.isBlank() ? Duration.ZERO : DurationConverter.parse(t))
            .must(d -> !d.isNegative(), "must be positive");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Adds the subcommands' settings to their options. */
    static void defineOptions(CommandLine auth) {
        CreateToken.DEFINITION.addTo(auth.getSubcommands().get("create-token").getCommandSpec());
        ApiInfoCommand.DEFINITION.addTo(auth.getSubcommands().get("api-info").getCommandSpec());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: create-token, api-info");
    }

    /** The signed token {@code c} asks for; a secret that cannot be used is one line on {@code err} and null. */
    static String token(ConfigDef.Config c, PrintWriter err) {
        SecretSource source = StorageKeys.secret(c);
        TokenSecret secret;
        try {
            secret = source.open(System.getenv(), note -> {
                err.println(note);
                err.flush();
            });
        } catch (IOException | IllegalArgumentException e) {
            err.println((source.envVariable().isEmpty() ? StorageKeys.TOKEN_SECRET.flag() + " " + source.file()
                    + ": the token secret cannot be made or read (" + e.getMessage() + ")"
                    : StorageKeys.TOKEN_SECRET_ENV.flag() + " " + source.envVariable() + ": " + e.getMessage()));
            err.flush();
            return null;
        }
        ApiToken token = ApiToken.upTo(c.get(PERM));
        if (!c.get(EXPIRES_IN).isZero()) {
            token = token.expiringAt(Instant.now().plus(c.get(EXPIRES_IN)));
        }
        return token.sign(secret);
    }

    /** {@code post-miner auth create-token --perm PERM}: prints a token. */
    @Command(name = "create-token", mixinStandardHelpOptions = true,
            description = "Print an API token granting --perm (and the permissions before it),"
            + " signed with the token secret.")
    static final class CreateToken implements java.util.concurrent.Callable<Integer> {

        static final ConfigDef DEFINITION = new ConfigDef(java.util.List.of(PERM, EXPIRES_IN, StorageKeys.TOKEN_SECRET,
                StorageKeys.TOKEN_SECRET_ENV));

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ConfigDef.Config c = DEFINITION.build(spec, r -> r);
            String token = token(c, spec.commandLine().getErr());
            if (token == null) {
                return 2;
            }
            spec.commandLine().getOut().println(token);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
