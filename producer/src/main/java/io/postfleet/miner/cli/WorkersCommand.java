package io.postfleet.miner.cli;

import io.postfleet.proving.storage.auth.ApiPermission;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code post-miner proving workers}: every worker the running miner hears, as {@code lotus-miner proving workers}
 * prints them: host, kind, the task in hand and for how long, CPU cores in use, RAM and VMEM of the host and of the
 * worker process, GPUs. The miner's roster is the source, so what is shown is what the miner decides by: a worker
 * is gone after missing several of its own heartbeat intervals (the miner's {@code --heartbeat-stale-after}), then
 * dropped.
 */
@Command(name = "workers", mixinStandardHelpOptions = true,
        description = {"The proving workers the running miner hears: kind, task in hand and for how long, CPU, RAM "
                + "and VMEM (host and worker process), GPUs, hash backend, last heartbeat.",
                "A worker whose heartbeats stopped shows as GONE, then is dropped."})
public final class WorkersCommand implements Callable<Integer> {

    @CommandLine.Mixin
    MinerApiOptions api;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return api.call(spec.commandLine(), ApiPermission.READ, "GET", "/workers", Duration.ofSeconds(10));
    }
}
