package io.postfleet.miner.chain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The chain as the miner's PoSt scheduler needs it. The devnet implements it on a local clock; a Lotus node would map
 * these calls onto {@code StateMinerProvingDeadline}, {@code StateMinerPartitions},
 * {@code StateGetRandomnessFromBeacon}, {@code MinerGetBaseInfo} and {@code MpoolPushMessage}.
 */
public interface ChainSource extends AutoCloseable {

    /** The miner's actor id (t0 address number). */
    long minerId();

    /** The epoch the chain is at now. */
    long currentEpoch();

    /** When {@code epoch} starts on the wall clock. */
    Instant epochStart(long epoch);

    /** The deadline whose open window contains {@code epoch}, or whose challenge is the next one at or after it. */
    DeadlineInfo deadlineAt(long epoch);

    /**
     * The deadlines challenged at or before {@code epoch} whose window has not closed, oldest first: the latest one
     * challenged and, while it waits to open, the one before it.
     */
    default List<DeadlineInfo> openDeadlines(long epoch) {
        List<DeadlineInfo> open = new java.util.ArrayList<>();
        for (DeadlineInfo dl : List.of(deadlineAt(epoch - DeadlineInfo.CHALLENGE_WINDOW), deadlineAt(epoch))) {
            if (dl.challengeEpoch() <= epoch && epoch < dl.closeEpoch() && !open.contains(dl)) {
                open.add(dl);
            }
        }
        return open;
    }

    /** The partitions of deadline {@code index}, empty when it holds no sectors. */
    List<Partition> partitions(int deadlineIndex);

    /** The windowPoSt randomness drawn at {@code challengeEpoch}, already masked to a canonical Fr. */
    byte[] windowRandomness(long challengeEpoch);

    /** The election at {@code epoch}: present when this miner won and must produce a winningPoSt. */
    Optional<WinningTicket> election(long epoch);

    /**
     * Whether a windowPoSt for {@code deadline} (of its proving period) is on chain already: a miner started again
     * mid-deadline must not submit it twice (Lotus: the deadline's {@code PostSubmissions}).
     */
    boolean submitted(DeadlineInfo deadline);

    /** Records a windowPoSt for a deadline; the devnet appends it to its chain log. */
    void submitWindowPost(WindowSubmission submission);

    @Override
    default void close() {
    }
}
