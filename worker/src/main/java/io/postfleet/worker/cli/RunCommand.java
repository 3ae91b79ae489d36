package io.postfleet.worker.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.postfleet.cli.ConfigDef;
import io.postfleet.proving.fleet.StartupCheck;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.consume.PostWorker;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code post-worker run --windowpost|--winningpost}: joins the kind's consumer group and proves tasks until SIGTERM
 * or Ctrl-C. Its options are {@link WorkerConfig#DEFINITION}'s settings (flag, environment variable, default); the
 * resolved configuration is printed first. Before joining, the storage paths, the broker and the registry are
 * checked ({@link StartupCheck}); a refusal is one line on stderr and exit 2, without the usage that follows a bad
 * flag, since the flag was well formed.
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
        System.out.println(config.headline());
        System.out.print(settings.describe());
        System.out.flush();
        if (!new StartupCheck().passes(settings, WorkerConfig.STORAGE, config.storage(), config.kafkaProperties(),
                spec.commandLine().getErr())) {
            return 2;
        }
        PostWorker worker = new PostWorker(config);
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
}
