package io.postfleet.miner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything {@code post-miner run} is configured with, built from flags and environment variables in one place
 * ({@code cli.RunCommand}) and printed at start-up.
 *
 * @param bootstrap          Kafka bootstrap servers
 * @param registryUrl        schema registry URL (Apicurio, Confluent-compatible wire format)
 * @param topicPrefix        prefix of the topic names ("" for the defaults post.window.tasks, ...)
 * @param manifest           the sectors the miner's chain records hold (a pledge manifest.json)
 * @param storage            storage paths (Lotus layout) the miner proves from when no worker consumes
 * @param events             JSON-lines events file, or null
 * @param chainLog           the devnet chain log, or null
 * @param epoch              devnet epoch length
 * @param firstChallengeEpoch devnet: the epoch deadline 0 is challenged at
 * @param partitionsPerDeadline devnet: partitions per deadline
 * @param winProbability     devnet: chance to win the election per epoch
 * @param winningBudget      how long after an election the winning proof must be ready (the block is due)
 * @param workerGrace        after start-up, how long the miner waits for workers before proving a deadline itself
 * @param forceLocalBefore   a task not yet started by any worker this close to its deadline's close is proven locally
 * @param heartbeatStaleAfter a worker whose last heartbeat is older than this is not live
 * @param lagRefresh         how often the consumer groups are read from the broker
 * @param gpu                hash backend for local proving and verification (auto, cpu, opencl[:N])
 * @param localProving       whether the miner may prove at all (false: it only waits for the fleet)
 * @param windowGroup        the consumer group of the windowPoSt workers (what the lag monitor reads)
 * @param winningGroup       the consumer group of the winningPoSt workers
 * @param apiPort            port of the miner's operator API and /metrics on {@code apiHost} (0: any free port)
 * @param apiHost            address the operator API binds to (127.0.0.1 unless a container must be scraped)
 * @param topicReplication   replication factor of the topics the miner creates when they are missing
 */
public record MinerSettings(String bootstrap, String registryUrl, String topicPrefix, long minerId, Path manifest,
                            List<Path> storage, Path events, Path chainLog, Duration epoch, long firstChallengeEpoch,
                            int partitionsPerDeadline, double winProbability, Duration winningBudget,
                            Duration workerGrace, Duration forceLocalBefore, Duration heartbeatStaleAfter,
                            Duration lagRefresh, String gpu, boolean localProving, String windowGroup,
                            String winningGroup, int apiPort, String apiHost, short topicReplication) {

    public MinerSettings {
        storage = List.copyOf(storage);
        requirePositive(epoch, "--epoch");
        requirePositive(winningBudget, "--winning-budget");
        requirePositive(heartbeatStaleAfter, "--heartbeat-stale-after");
        requirePositive(lagRefresh, "--lag-refresh");
        if (workerGrace.isNegative() || forceLocalBefore.isNegative()) {
            throw new IllegalArgumentException("--worker-grace and --force-local-before must not be negative");
        }
        if (apiPort < 0 || apiPort > 65535) {
            throw new IllegalArgumentException("--api-port must be 0 (any free port) or 1..65535, got " + apiPort);
        }
        if (topicReplication < 1) {
            throw new IllegalArgumentException("--topic-replication must be at least 1, got " + topicReplication);
        }
    }

    private static void requirePositive(Duration d, String flag) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(flag + " must be a positive duration, got " + d);
        }
    }

    /** The settings as start-up prints them, one per line. */
    public String describe() {
        return String.join("\n",
                "  bootstrap             " + bootstrap,
                "  registry              " + registryUrl,
                "  topic prefix          " + (topicPrefix.isEmpty() ? "(none)" : topicPrefix),
                "  miner                 " + (minerId < 0 ? "(from the manifest)" : "t0" + minerId),
                "  manifest              " + manifest,
                "  storage               " + storage,
                "  events                " + (events == null ? "(none)" : events),
                "  chain log             " + (chainLog == null ? "(none)" : chainLog),
                "  epoch                 " + epoch.toMillis() + " ms",
                "  first challenge epoch " + firstChallengeEpoch,
                "  partitions/deadline   " + partitionsPerDeadline,
                "  win probability       " + winProbability,
                "  winning budget        " + winningBudget.toMillis() + " ms",
                "  worker grace          " + workerGrace.toMillis() + " ms",
                "  force local before    " + forceLocalBefore.toMillis() + " ms",
                "  heartbeat stale after " + heartbeatStaleAfter.toMillis() + " ms",
                "  lag refresh           " + lagRefresh.toMillis() + " ms",
                "  hash backend          " + gpu,
                "  local proving         " + (localProving ? "on" : "off"),
                "  worker groups         " + windowGroup + " (window), " + winningGroup + " (winning)",
                "  operator API          " + apiHost + ":" + (apiPort == 0 ? "(any free port)" : apiPort),
                "  topic replication     " + topicReplication);
    }
}
