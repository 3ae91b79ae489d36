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

    /** The partitions of deadline {@code index}, empty when it holds no sectors. */
    List<Partition> partitions(int deadlineIndex);

    /** The windowPoSt randomness drawn at {@code challengeEpoch}, already masked to a canonical Fr. */
    byte[] windowRandomness(long challengeEpoch);

    /** The election at {@code epoch}: present when this miner won and must produce a winningPoSt. */
    Optional<WinningTicket> election(long epoch);

    /** Records a windowPoSt for a deadline; the devnet appends it to its chain log. */
    void submitWindowPost(WindowSubmission submission);

    @Override
    default void close() {
    }
}
