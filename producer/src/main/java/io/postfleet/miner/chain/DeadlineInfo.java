package io.postfleet.miner.chain;

/**
 * One proving deadline as the chain defines it (builtin-actors {@code miner::DeadlineInfo}): the deadline
 * {@code index} of the proving period starting at {@code periodStart}, challenged at {@code challengeEpoch} (randomness
 * drawn there), open for proofs from {@code openEpoch} until {@code closeEpoch} (exclusive).
 */
public record DeadlineInfo(long periodStart, int index, long challengeEpoch, long openEpoch, long closeEpoch) {

    /** Deadlines per proving period. */
    public static final int PERIOD_DEADLINES = 48;
    /** Epochs a deadline stays open (WPoStChallengeWindow). */
    public static final int CHALLENGE_WINDOW = 60;
    /** Epochs between the challenge and the open (WPoStChallengeLookback). */
    public static final int CHALLENGE_LOOKBACK = 20;
    /** Epochs per proving period: 48 x 60 = 2880, a day of 30-second epochs. */
    public static final int PROVING_PERIOD = PERIOD_DEADLINES * CHALLENGE_WINDOW;

    /** The deadline {@code index} of the period that starts at {@code periodStart}. */
    public static DeadlineInfo of(long periodStart, int index) {
        if (index < 0 || index >= PERIOD_DEADLINES) {
            throw new IllegalArgumentException("deadline index " + index + " is outside 0.." + (PERIOD_DEADLINES - 1));
        }
        long open = periodStart + (long) index * CHALLENGE_WINDOW;
        return new DeadlineInfo(periodStart, index, open - CHALLENGE_LOOKBACK, open, open + CHALLENGE_WINDOW);
    }

    /** The next deadline after this one, rolling into the next proving period after deadline 47. */
    public DeadlineInfo next() {
        return index + 1 < PERIOD_DEADLINES ? of(periodStart, index + 1) : of(periodStart + PROVING_PERIOD, 0);
    }

    /** Whether proofs for this deadline can still land at {@code epoch}. */
    public boolean isOpenOrBefore(long epoch) {
        return epoch < closeEpoch;
    }
}
