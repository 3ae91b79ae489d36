package io.postfleet.miner.cli;

import io.postfleet.proving.storage.auth.ApiPermission;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code post-miner info}: the running miner in a few lines, as {@code lotus-miner info}: the miner and its
 * sectors, the chain's epoch, live workers by kind ({@code WdPoSt: N, WinPoSt: M}), the current deadline and who
 * proves each kind (the fleet, or the miner itself in fallback).
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "The running miner: sectors, epoch, live workers (WdPoSt, WinPoSt), the current deadline and "
                + "the fallback state.")
public final class InfoCommand implements Callable<Integer> {

    @CommandLine.Mixin
    MinerApiOptions api;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return api.call(spec.commandLine(), ApiPermission.READ, "GET", "/info", Duration.ofSeconds(10));
    }
}
