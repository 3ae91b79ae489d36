package io.postfleet.worker.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigException;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.HashBackends;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proving.fleet.StartupCheck;
import io.postfleet.proving.storage.index.StorageAnnouncer;
import io.postfleet.proving.storage.index.StorageTopic;
import io.postfleet.proving.storage.serve.SectorRange;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.proving.storage.serve.StorageEndpoint;
import io.postfleet.proving.storage.serve.StorageKeys;
import io.postfleet.worker.config.StorageNodeConfig;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.metrics.MetricsEndpoint;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code post-worker serve-storage --storage DIR... --listen HOST:PORT}: a storage-only node. It answers Lotus's
 * {@code POST /remote/vanilla/single} for the sectors under its storage paths, so workers that do not see those
 * disks can prove them; no GPU (it hashes on the CPU: a request opens a few dozen leaves), and Kafka only to announce
 * them with {@code --bootstrap}. Its options are {@link StorageNodeConfig#DEFINITION}'s. A bad setting, a storage
 * path that is missing or unreadable, a secret that cannot be read, an address that cannot be bound and a broker
 * that does not answer or refuses the login are each refused with one line and exit 2.
 */
@Command(name = ServeStorageCommand.NAME, mixinStandardHelpOptions = true,
        description = {"Serve the sectors of these storage paths to workers over Lotus's /remote protocol "
                + "(POST /remote/vanilla/single, GET /remote/stat); stop with SIGTERM or Ctrl-C.",
                "Requests need a token allowing admin, signed with --secret: post-miner auth create-token --perm admin."})
public final class ServeStorageCommand implements Callable<Integer> {

    static final String NAME = "serve-storage";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Adds the node's settings to this command's options. */
    static void defineOptions(CommandLine serve) {
        StorageNodeConfig.DEFINITION.addTo(serve.getCommandSpec());
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConfigDef.Config settings;
        StorageNodeConfig config;
        try {
            settings = StorageNodeConfig.DEFINITION.resolve(spec.commandLine().getParseResult(), System.getenv());
            config = StorageNodeConfig.from(settings);
            for (String warning : new StartupCheck().storage(settings.named(WorkerConfig.STORAGE), config.storage())) {
                err.println("warning: " + warning);
            }
        } catch (ConfigException e) {
            return refuse(err, e.getMessage());
        }
        out.println("post-worker serve-storage: starting with");
        out.print(settings.describe());
        out.print(config.kafka().describe());
        out.flush();
        if (!config.bootstrap().isEmpty()) {
            try {
                new StartupCheck().broker(settings.named(StorageNodeConfig.ANNOUNCE_BOOTSTRAP), config.bootstrap(),
                        config.kafka());
            } catch (ConfigException e) {
                return refuse(err, e.getMessage());
            }
        }

        StoragePaths paths = new StoragePaths(config.storage());
        PrometheusMeterRegistry registry = MetricsEndpoint.registry();
        HashBackend backend = HashBackends.bestCpu();
        ServeSettings serve = config.serve();
        StorageEndpoint endpoint;
        try {
            endpoint = StorageEndpoint.serve(serve, paths, backend, registry, System.getenv(), note -> {
                err.println(note);
                err.flush();
            });
        } catch (Exception e) {
            backend.close();
            return refuse(err, StorageKeys.startProblem(StorageNodeConfig.LISTEN.flag(), serve, e));
        }
        MetricsEndpoint metrics = null;
        if (config.metricsPort() > 0) {
            try {
                metrics = MetricsEndpoint.start(registry, config.metricsHost(), config.metricsPort());
            } catch (RuntimeException e) {
                endpoint.close();
                backend.close();
                return refuse(err, WorkerConfig.METRICS_PORT.flag() + " " + config.metricsPort() + ": "
                        + e.getMessage());
            }
        }
        List<SectorRange> held = endpoint.inventory().held();
        out.println("post-worker serve-storage " + serve.nodeId() + ": serving " + held.stream()
                .mapToLong(SectorRange::count).sum() + " sectors " + ranges(held) + " from " + config.storage().size()
                + " storage path" + (config.storage().size() == 1 ? "" : "s") + " at " + endpoint.url());
        out.println("post-worker serve-storage: tokens are checked with the secret of " + serve.secret().describe()
                + "; make one with: post-miner auth create-token --perm admin" + (serve.secret().envVariable()
                .isEmpty() ? " --secret " + serve.secret().file() : " --token-secret-env "
                + serve.secret().envVariable()));
        if (metrics != null) {
            out.println("post-worker serve-storage: metrics at http://" + config.metricsHost() + ":" + metrics.port()
                    + "/metrics");
        }
        out.flush();

        StorageAnnouncer announcer = null;
        Producer<String, SpecificRecord> producer = null;
        if (!config.bootstrap().isEmpty()) {
            String url = config.publicUrl().isEmpty() ? endpoint.baseUrl() : config.publicUrl();
            producer = StorageTopic.producer(config.bootstrap(), config.registry(), config.kafka().properties(),
                    "post-storage-" + serve.nodeId());
            announcer = new StorageAnnouncer(StorageTopic.sender(producer, config.topics().storage()), serve.nodeId(),
                    url, endpoint.inventory(), config.announceInterval(),
                    min(config.announceInterval(), Duration.ofSeconds(10)), Clock.systemUTC()).start();
            out.println("post-worker serve-storage: announcing " + url + " on " + config.topics().storage() + " at "
                    + config.bootstrap() + " every " + config.announceInterval().toSeconds() + " s");
            out.flush();
        }

        CountDownLatch stopped = new CountDownLatch(1);
        StorageEndpoint running = endpoint;
        MetricsEndpoint runningMetrics = metrics;
        StorageAnnouncer runningAnnouncer = announcer;
        Producer<String, SpecificRecord> runningProducer = producer;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("post-worker serve-storage: stopping");
            if (runningAnnouncer != null) {
                runningAnnouncer.close(Duration.ofSeconds(2));
                runningProducer.close(Duration.ofSeconds(2));
            }
            running.close();
            if (runningMetrics != null) {
                runningMetrics.close();
            }
            backend.close();
            stopped.countDown();
        }, "serve-storage-stop"));
        stopped.await();
        return 0;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String ranges(List<SectorRange> held) {
        if (held.isEmpty()) {
            return "(none yet)";
        }
        String shown = held.stream().limit(5).map(r -> "t0" + r.minerId() + ":" + r.first()
                + (r.last() == r.first() ? "" : ".." + r.last())).collect(Collectors.joining(" "));
        return "(" + shown + (held.size() > 5 ? " ... " + (held.size() - 5) + " more ranges" : "") + ")";
    }

    private static int refuse(PrintWriter err, String line) {
        err.println(line);
        err.flush();
        return 2;
    }
}
