package io.postfleet.miner.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;

import io.postfleet.cli.ConfigDef;
import io.postfleet.miner.MinerSettings;
import io.postfleet.proving.storage.lotus.ApiInfo;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.proving.storage.serve.StorageKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code post-miner auth api-info --perm PERM}: the miner's API as Lotus writes API info,
 * {@code MINER_API_INFO=TOKEN:/ip4/HOST/tcp/PORT/http}. The address is the operator API's ({@code --api-host},
 * {@code --api-port}, as given to {@code post-miner run}), which {@code post-miner info} and {@code proving ...}
 * ask; with {@code --storage-listen} it is the miner's storage endpoint instead. Workers take only the token from
 * it (they find storage on the storage topic), and one token opens both, since both check the same secret.
 */
@Command(name = "api-info", mixinStandardHelpOptions = true,
        description = {"Print MINER_API_INFO=TOKEN:/ip4/HOST/tcp/PORT/http for the miner's operator API "
                + "(--api-host, --api-port), the token granting --perm.",
                "With --storage-listen: the address of the miner's storage endpoint instead."})
final class ApiInfoCommand implements Callable<Integer> {

    static final ConfigDef DEFINITION = new ConfigDef(List.of(AuthCommand.PERM, AuthCommand.EXPIRES_IN,
            MinerSettings.API_HOST, MinerSettings.API_PORT, MinerSettings.STORAGE_LISTEN, StorageKeys.TOKEN_SECRET,
            StorageKeys.TOKEN_SECRET_ENV));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ConfigDef.Config c = DEFINITION.build(spec, r -> r);
        PrintWriter err = spec.commandLine().getErr();
        String listen = c.get(MinerSettings.STORAGE_LISTEN);
        boolean storage = !listen.isBlank();
        if (!storage) {
            listen = c.get(MinerSettings.API_HOST) + ":" + c.get(MinerSettings.API_PORT);
        }
        InetSocketAddress a = ServeSettings.parseListen(listen);
        if (a.getPort() == 0) {
            err.println((storage ? c.named(MinerSettings.STORAGE_LISTEN) + " " + listen
                    : c.named(MinerSettings.API_PORT) + " 0") + ": port 0 is any free port, known only "
                    + "once the miner listens; give a fixed port");
            err.flush();
            return 2;
        }
        String host = a.getHostString();
        if (a.getAddress() != null && a.getAddress().isAnyLocalAddress()) {
            err.println("note: " + listen + " listens on every address; the API info names 127.0.0.1, give workers "
                    + "on other hosts an address of this one");
            host = "127.0.0.1";
        }
        String token = AuthCommand.token(c, err);
        if (token == null) {
            return 2;
        }
        spec.commandLine().getOut().println("MINER_API_INFO=" + ApiInfo.of(token, host, a.getPort()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
