package io.postfleet.miner.chain;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local chain on the wall clock: epochs of a configured length from genesis, 48 deadlines of 60 epochs, the miner's
 * sectors filled into partitions and deadlines in ascending order, randomness and elections derived deterministically
 * from the epoch (so replays and tests see the same challenges), submissions appended to a chain log.
 *
 * <p>With a chain log the devnet is durable as a chain is: the log's first line records genesis, and a miner started
 * again over the same log continues that chain at the epoch the wall clock says, knowing every deadline already
 * submitted (and refusing a second submission of one, as the chain refuses a second windowPoSt for a partition).
 */
public final class DevnetChain implements ChainSource {

    private static final byte[] WINDOW_DOMAIN = "postfleet devnet window randomness".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WINNING_DOMAIN = "postfleet devnet winning randomness".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ELECTION_DOMAIN = "postfleet devnet election".getBytes(StandardCharsets.US_ASCII);

    private final DevnetSettings settings;
    private final Clock clock;
    /** When epoch 0 began: the settings' genesis until {@link #beginNow()}. */
    private volatile Instant genesis;
    private final List<ChainSector> sectors;
    private final Map<Integer, List<Partition>> partitionsByDeadline = new LinkedHashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    /** Submissions kept in memory (two proving periods' worth); the chain log keeps them all. */
    public static final int SUBMISSIONS_KEPT = 2 * DeadlineInfo.PERIOD_DEADLINES;

    private final java.util.ArrayDeque<WindowSubmission> submissions = new java.util.ArrayDeque<>();
    /** Whether genesis came from the chain log: this chain was followed before, by an earlier run of the miner. */
    private final boolean resumed;

    /** The chain log's first line: when the chain began (ISO-8601) and the shape it was made with. */
    record Genesis(String genesis, long epochMs, long minerId, long firstChallengeEpoch, int partitionSectors,
                   int partitionsPerDeadline) {
    }

    public DevnetChain(DevnetSettings settings, List<ChainSector> sectors) {
        this(settings, sectors, Clock.systemUTC());
    }

    public DevnetChain(DevnetSettings settings, List<ChainSector> sectors, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        Genesis earlier = readChainLog();
        this.resumed = earlier != null;
        this.genesis = resumed ? Instant.parse(earlier.genesis()) : settings.genesis();
        this.sectors = sectors.stream().sorted(Comparator.comparingLong(ChainSector::sectorId)).toList();
        int perDeadline = settings.partitionSectors() * settings.partitionsPerDeadline();
        if (this.sectors.size() > (long) perDeadline * DeadlineInfo.PERIOD_DEADLINES) {
            throw new IllegalArgumentException(this.sectors.size() + " sectors do not fit 48 deadlines of "
                    + settings.partitionsPerDeadline() + " partitions of " + settings.partitionSectors()
                    + ": raise --partitions-per-deadline");
        }
        for (int start = 0; start < this.sectors.size(); start += settings.partitionSectors()) {
            int deadline = start / perDeadline;
            List<Partition> list = partitionsByDeadline.computeIfAbsent(deadline, d -> new ArrayList<>());
            List<ChainSector> chunk = this.sectors.subList(start, Math.min(start + settings.partitionSectors(), this.sectors.size()));
            list.add(new Partition(deadline, list.size(), chunk));
        }
    }

    /**
     * Moves genesis to now: a devnet begins when the miner starts following it, so the time the miner spent
     * starting (checks, topics, the self-check) does not eat its first deadlines.
     */
    public void beginNow() {
        if (resumed) {
            throw new IllegalStateException("a resumed devnet keeps its genesis " + genesis);
        }
        genesis = clock.instant();
        if (settings.chainLog() != null) {
            Genesis g = new Genesis(genesis.toString(), settings.epoch().toMillis(), settings.minerId(),
                    settings.firstChallengeEpoch(), settings.partitionSectors(), settings.partitionsPerDeadline());
            append(json.valueToTree(g).toString());
        }
    }

    /** Whether this chain began in an earlier run of the miner (its genesis read from the chain log). */
    public boolean resumed() {
        return resumed;
    }

    /**
     * Reads an existing chain log: its genesis (null when the log is absent, empty or has none, so a new chain
     * begins) and its latest submissions. A log made with another epoch, miner or partition shape is refused: its
     * deadlines are not this chain's.
     */
    private Genesis readChainLog() {
        Path log = settings.chainLog();
        if (log == null || !Files.isRegularFile(log)) {
            return null;
        }
        Genesis found = null;
        int lineNo = 0;
        try (java.io.BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                com.fasterxml.jackson.databind.JsonNode node = json.readTree(line);
                if (node.has("genesis")) {
                    found = json.treeToValue(node, Genesis.class);
                } else {
                    keep(json.treeToValue(node, WindowSubmission.class));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--chain-log " + log + (lineNo == 0 ? "" : " line " + lineNo)
                    + " cannot be read as this devnet's chain (" + e.getMessage().lines().findFirst().orElse("")
                    + "): give a new file, or the log this miner wrote", e);
        }
        if (found == null) {
            return null;
        }
        List<String> differ = new ArrayList<>();
        if (found.epochMs() != settings.epoch().toMillis()) {
            differ.add("epoch " + found.epochMs() + " ms (this run: " + settings.epoch().toMillis() + " ms)");
        }
        if (found.minerId() != settings.minerId()) {
            differ.add("miner t0" + found.minerId() + " (this run: t0" + settings.minerId() + ")");
        }
        if (found.firstChallengeEpoch() != settings.firstChallengeEpoch()) {
            differ.add("first challenge epoch " + found.firstChallengeEpoch() + " (this run: "
                    + settings.firstChallengeEpoch() + ")");
        }
        if (found.partitionSectors() != settings.partitionSectors()
                || found.partitionsPerDeadline() != settings.partitionsPerDeadline()) {
            differ.add(found.partitionsPerDeadline() + " partitions of " + found.partitionSectors()
                    + " sectors per deadline (this run: " + settings.partitionsPerDeadline() + " of "
                    + settings.partitionSectors() + ")");
        }
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException("--chain-log " + log + " is a devnet chain with " + String.join(", ",
                    differ) + ": start with the same settings to continue it, or give a new chain log");
        }
        return found;
    }

    public DevnetSettings settings() {
        return settings;
    }

    @Override
    public long minerId() {
        return settings.minerId();
    }

    @Override
    public long currentEpoch() {
        long elapsed = clock.millis() - genesis.toEpochMilli();
        return Math.max(0, Math.floorDiv(elapsed, settings.epoch().toMillis()));
    }

    @Override
    public Instant epochStart(long epoch) {
        return genesis.plusMillis(epoch * settings.epoch().toMillis());
    }

    @Override
    public DeadlineInfo deadlineAt(long epoch) {
        long k = Math.max(0, Math.floorDiv(epoch - settings.firstChallengeEpoch(), DeadlineInfo.CHALLENGE_WINDOW));
        long periodStart = settings.firstChallengeEpoch() + DeadlineInfo.CHALLENGE_LOOKBACK
                + Math.floorDiv(k, DeadlineInfo.PERIOD_DEADLINES) * DeadlineInfo.PROVING_PERIOD;
        return DeadlineInfo.of(periodStart, (int) Math.floorMod(k, DeadlineInfo.PERIOD_DEADLINES));
    }

    @Override
    public List<Partition> partitions(int deadlineIndex) {
        return partitionsByDeadline.getOrDefault(deadlineIndex, List.of());
    }

    /** All sectors of the miner, ascending: the eligible set for winningPoSt. */
    public List<ChainSector> sectors() {
        return sectors;
    }

    @Override
    public byte[] windowRandomness(long challengeEpoch) {
        return masked(sha256(WINDOW_DOMAIN, challengeEpoch));
    }

    @Override
    public Optional<WinningTicket> election(long epoch) {
        if (sectors.isEmpty() || settings.winProbability() == 0) {
            return Optional.empty();
        }
        long draw = ByteBuffer.wrap(sha256(ELECTION_DOMAIN, epoch)).order(ByteOrder.LITTLE_ENDIAN).getLong() >>> 11;
        double uniform = draw / (double) (1L << 53);
        if (uniform >= settings.winProbability()) {
            return Optional.empty();
        }
        return Optional.of(ticket(epoch));
    }

    /** The ticket an election at {@code epoch} would give, won or not (operator dry runs). */
    public WinningTicket ticket(long epoch) {
        return new WinningTicket(epoch, masked(sha256(WINNING_DOMAIN, epoch)), sectors);
    }

    @Override
    public synchronized boolean submitted(DeadlineInfo deadline) {
        return onChain(deadline.index(), deadline.challengeEpoch());
    }

    /** Whether deadline {@code index} of the period in which it is challenged at {@code challengeEpoch} is on chain. */
    private boolean onChain(int index, long challengeEpoch) {
        return submissions.stream().anyMatch(s -> s.deadline() == index && s.challengeEpoch() == challengeEpoch);
    }

    /**
     * Records a windowPoSt; a second one for the same deadline of the same proving period is refused, as the chain
     * refuses a partition proven twice.
     */
    @Override
    public synchronized void submitWindowPost(WindowSubmission submission) {
        if (onChain(submission.deadline(), submission.challengeEpoch())) {
            throw new IllegalStateException("deadline " + submission.deadline() + " challenged at epoch "
                    + submission.challengeEpoch() + " has a windowPoSt on chain already");
        }
        keep(submission);
        if (settings.chainLog() != null) {
            try {
                append(json.writeValueAsString(submission));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a submission cannot be written as JSON", e);
            }
        }
    }

    private void keep(WindowSubmission submission) {
        submissions.addLast(submission);
        if (submissions.size() > SUBMISSIONS_KEPT) {
            submissions.removeFirst();
        }
    }

    private void append(String line) {
        try {
            Files.writeString(settings.chainLog(), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the devnet chain log " + settings.chainLog(), e);
        }
    }

    /** The latest {@link #SUBMISSIONS_KEPT} submissions, oldest first. */
    public synchronized List<WindowSubmission> submissions() {
        return List.copyOf(submissions);
    }

    /** Masks a 32-byte value into a canonical Fr the way Lotus masks chain randomness: clear the top two bits. */
    static byte[] masked(byte[] value) {
        value[31] &= 0x3f;
        return value;
    }

    private static byte[] sha256(byte[] domain, long epoch) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(domain);
            sha.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(epoch).array());
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
