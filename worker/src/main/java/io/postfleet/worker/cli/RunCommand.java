package io.postfleet.worker.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigException;
import io.postfleet.proving.fleet.StartupCheck;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.consume.PostWorker;
import io.postfleet.worker.host.HostCheck;
import io.postfleet.worker.host.SealedSectors;
import io.postfleet.worker.status.ResourceProbe;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code post-worker run --windowpost|--winningpost}: joins the kind's consumer group and proves tasks until SIGTERM
 * or Ctrl-C. Its options are {@link WorkerConfig#DEFINITION}'s settings (flag, environment variable, default); the
 * resolved configuration is printed first, the Kafka client settings with it. Before joining, the open-file limit is
 * raised and checked ({@link HostCheck#openFiles}), then the storage paths, the broker (logging in with the Kafka
 * client settings) and the registry ({@link StartupCheck}); a refusal is one line on stderr and exit 2, without the
 * usage that follows a bad flag, since the flag was well formed. Last, with the hash backend open, what the host
 * has against what proving needs is printed, shortfalls as warnings ({@link HostCheck#requirements}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Consume PoSt tasks of one kind, prove them, publish results; stop with SIGTERM or Ctrl-C.",
                "Exactly one of --windowpost and --winningpost: a winning task must never wait behind a window proof."})
public final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Adds the worker's settings to this command's options. */
    static void defineOptions(CommandLine run) {
        WorkerConfig.DEFINITION.addTo(run.getCommandSpec());
    }

    /** The typed configuration this invocation describes; a bad value is a ParameterException naming the flag. */
    public WorkerConfig config() {
        return WorkerConfig.DEFINITION.build(spec, WorkerConfig::from);
    }

    @Override
    public Integer call() throws Exception {
        ConfigDef.Config settings = WorkerConfig.DEFINITION.build(spec, c -> c);
        WorkerConfig config = config();
        PrintWriter err = spec.commandLine().getErr();
        System.out.println(config.headline());
        System.out.print(settings.describe());
        System.out.print(config.kafka().describe());
        try {
            System.out.println(HostCheck.openFiles(settings, WorkerConfig.MIN_OPEN_FILES));
        } catch (ConfigException e) {
            System.out.flush();
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        System.out.flush();
        if (!new StartupCheck().passes(settings, WorkerConfig.STORAGE, config.storage(), config.kafka(), err)) {
            return 2;
        }
        PostWorker worker = new PostWorker(config);
        report(worker, settings, config, err);
        CountDownLatch hookDone = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println("post-worker " + config.workerId() + ": stopping");
            worker.close();
            hookDone.countDown();
        }, "post-worker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        worker.start();
        System.out.println("post-worker " + config.workerId() + ": started, consuming " + config.taskTopic());
        System.out.flush();
        worker.awaitStopped(Duration.ofDays(36500));
        if (worker.failure() != null) {
            System.err.println("post-worker " + config.workerId() + ": stopped on an error: " + worker.failure());
            return 1;
        }
        return 0;
    }

    /** The hash backend, the sectors, memory and GPUs against what they need, BELLMAN_CUSTOM_GPU, the parameters. */
    private static void report(PostWorker worker, ConfigDef.Config settings, WorkerConfig config, PrintWriter err) {
        ResourceProbe probe = worker.resources();
        List<ResourceProbe.Device> devices = probe.devices();
        List<HostCheck.Finding> findings = new ArrayList<>();
        findings.add(new HostCheck.Finding(false, "hash backend: " + worker.hashBackend()));
        findings.addAll(HostCheck.requirements(config.kind(), settings.named(WorkerConfig.STORAGE),
                SealedSectors.scan(config.storage()), probe.sample().memTotalBytes(), devices));
        findings.addAll(HostCheck.customGpus(config.gpuCores(), devices));
        findings.add(HostCheck.parameterCache(settings.named(WorkerConfig.PARAMETER_CACHE),
                settings.get(WorkerConfig.PARAMETER_CACHE)));
        for (HostCheck.Finding f : findings) {
            if (f.warning()) {
                System.out.flush();
                err.println("warning: " + f.text());
                err.flush();
            } else {
                System.out.println(f.text());
            }
        }
        System.out.flush();
    }
}
