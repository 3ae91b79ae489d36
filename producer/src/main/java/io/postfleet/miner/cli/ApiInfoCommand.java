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
 * {@code post-miner auth api-info --perm PERM}: the miner's storage endpoint as Lotus writes API info,
 * {@code MINER_API_INFO=TOKEN:/ip4/HOST/tcp/PORT/http}. The address is {@code --storage-listen}, the same setting
 * (and variable) {@code post-miner run} serves storage on; the operator API ({@code --api-port}) does not serve
 * {@code /remote}, so it is not the address given here.
 */
@Command(name = "api-info", mixinStandardHelpOptions = true,
        description = "Print MINER_API_INFO=TOKEN:/ip4/HOST/tcp/PORT/http for the miner's storage"
        + " endpoint (--storage-listen), the token granting --perm.")
final class ApiInfoCommand implements Callable<Integer> {

    static final ConfigDef DEFINITION = new ConfigDef(List.of(AuthCommand.PERM, AuthCommand.EXPIRES_IN,
            MinerSettings.STORAGE_LISTEN, StorageKeys.TOKEN_SECRET, StorageKeys.TOKEN_SECRET_ENV));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ConfigDef.Config c = DEFINITION.build(spec, r -> r);
        PrintWriter err = spec.commandLine().getErr();
        String listen = c.get(MinerSettings.STORAGE_LISTEN);
        if (listen.isBlank()) {
            err.println(MinerSettings.STORAGE_LISTEN.flag() + " is required: the miner serves storage only on the "
                    + "address post-miner run is given with " + MinerSettings.STORAGE_LISTEN.flag() + " (or "
                    + MinerSettings.STORAGE_LISTEN.env() + "); give the same here");
            err.flush();
            return 2;
        }
        InetSocketAddress a = ServeSettings.parseListen(listen);
        if (a.getPort() == 0) {
            err.println(c.named(MinerSettings.STORAGE_LISTEN) + " " + listen + ": port 0 is any free port, known only "
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
