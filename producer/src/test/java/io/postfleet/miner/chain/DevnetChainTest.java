package io.postfleet.miner.chain;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevnetChainTest {

    private static final Instant GENESIS = Instant.parse("2026-01-01T00:00:00Z");

    private static List<ChainSector> sectors(int n) {
        List<ChainSector> out = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            byte[] commR = new byte[32];
            commR[0] = (byte) (i + 1);
            out.add(new ChainSector(i, commR, false));
        }
        return out;
    }

    private static DevnetChain chain(int sectors, int perDeadline, long firstChallenge, double win, Instant now) {
        DevnetSettings s = new DevnetSettings(Duration.ofMillis(100), GENESIS, 1000, 2, perDeadline, firstChallenge, win, null);
        return new DevnetChain(s, sectors(sectors), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void epochsFollowTheWallClockFromGenesis() {
        DevnetChain c = chain(4, 4, 5, 0, GENESIS.plusMillis(1234));
        assertEquals(12, c.currentEpoch());
        assertEquals(GENESIS.plusMillis(500), c.epochStart(5));
    }

    @Test
    void deadlinesAreSixtyEpochsWithTheChallengeTwentyBeforeTheOpen() {
        DevnetChain c = chain(4, 4, 5, 0, GENESIS);
        DeadlineInfo d0 = c.deadlineAt(0);
        assertEquals(0, d0.index());
        assertEquals(5, d0.challengeEpoch());
        assertEquals(25, d0.openEpoch());
        assertEquals(85, d0.closeEpoch());
        DeadlineInfo d1 = c.deadlineAt(65);
        assertEquals(1, d1.index());
        assertEquals(65, d1.challengeEpoch());
        assertEquals(d1, d0.next());
        DeadlineInfo wrapped = c.deadlineAt(5 + 48L * 60);
        assertEquals(0, wrapped.index());
        assertEquals(d0.periodStart() + DeadlineInfo.PROVING_PERIOD, wrapped.periodStart());
        assertEquals(wrapped, c.deadlineAt(5 + 47L * 60).next());
    }

    @Test
    void sectorsFillPartitionsAndDeadlinesInAscendingOrder() {
        DevnetChain c = chain(11, 2, 5, 0, GENESIS);
        List<Partition> d0 = c.partitions(0);
        assertEquals(2, d0.size());
        assertEquals(List.of(0L, 1L), d0.get(0).sectors().stream().map(ChainSector::sectorId).toList());
        assertEquals(List.of(2L, 3L), d0.get(1).sectors().stream().map(ChainSector::sectorId).toList());
        assertEquals(2, c.partitions(1).size());
        assertEquals(1, c.partitions(2).get(1).sectors().size());
        assertEquals(10L, c.partitions(2).get(1).sectors().get(0).sectorId());
        assertTrue(c.partitions(3).isEmpty());
    }

    @Test
    void tooManySectorsForThePeriodAreRefusedWithWhatToChange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> chain(2 * 48 + 1, 1, 5, 0, GENESIS));
        assertTrue(e.getMessage().contains("--partitions-per-deadline"), e.getMessage());
    }

    @Test
    void randomnessIsDeterministicMaskedAndDiffersPerEpoch() {
        DevnetChain a = chain(4, 4, 5, 0, GENESIS);
        DevnetChain b = chain(4, 4, 5, 0, GENESIS.plusSeconds(99));
        assertArrayEquals(a.windowRandomness(65), b.windowRandomness(65));
        assertFalse(java.util.Arrays.equals(a.windowRandomness(65), a.windowRandomness(66)));
        for (long e = 0; e < 200; e++) {
            assertEquals(0, a.windowRandomness(e)[31] & 0xc0, "top two bits cleared at epoch " + e);
        }
    }

    @Test
    void electionsWinAtAboutTheConfiguredRate() {
        DevnetChain never = chain(4, 4, 5, 0, GENESIS);
        DevnetChain always = chain(4, 4, 5, 1, GENESIS);
        DevnetChain third = chain(4, 4, 5, 0.3, GENESIS);
        int wins = 0;
        for (long e = 0; e < 2000; e++) {
            assertTrue(never.election(e).isEmpty());
            assertTrue(always.election(e).isPresent());
            if (third.election(e).isPresent()) {
                wins++;
            }
        }
        assertTrue(wins > 500 && wins < 700, "won " + wins + " of 2000 at p=0.3");
        WinningTicket t = always.election(7).orElseThrow();
        assertEquals(4, t.eligible().size());
        assertEquals(0, t.randomness()[31] & 0xc0);
    }

    private static DevnetChain durable(java.nio.file.Path log, Duration epoch, Instant genesis, Instant now) {
        DevnetSettings s = new DevnetSettings(epoch, genesis, 1000, 2, 4, 5, 0, log);
        return new DevnetChain(s, sectors(8), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aChainLogKeepsGenesisAndSubmissionsForTheNextStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path log = dir.resolve("chain.jsonl");
        Instant started = GENESIS.plusSeconds(3600);
        DevnetChain first = durable(log, Duration.ofMillis(100), GENESIS, started);
        assertFalse(first.resumed());
        first.beginNow();
        DeadlineInfo d0 = first.deadlineAt(5);
        assertFalse(first.submitted(d0));
        first.submitWindowPost(new WindowSubmission(0, d0.challengeEpoch(), d0.openEpoch(), List.of(0, 1),
                java.util.Map.of(0, "aa", 1, "bb"), List.of()));
        assertTrue(first.submitted(d0));
        assertFalse(first.submitted(d0.next()));

        // started again 4.5 s later (45 epochs), with another genesis in its settings: the log's genesis wins
        DevnetChain again = durable(log, Duration.ofMillis(100), GENESIS, started.plusMillis(4500));
        assertTrue(again.resumed());
        assertEquals(45, again.currentEpoch());
        assertEquals(started, again.epochStart(0));
        assertTrue(again.submitted(d0), "what the first run submitted is on chain");
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> again.submitWindowPost(
                new WindowSubmission(0, d0.challengeEpoch(), 50, List.of(0, 1), java.util.Map.of(), List.of())));
        assertEquals("deadline 0 challenged at epoch 5 has a windowPoSt on chain already", twice.getMessage());
        assertThrows(IllegalStateException.class, again::beginNow);
        assertEquals(2, java.nio.file.Files.readAllLines(log).size(), "genesis and one submission, nothing twice");

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> durable(log, Duration.ofMillis(250), GENESIS, started));
        assertEquals("--chain-log " + log + " is a devnet chain with epoch 100 ms (this run: 250 ms): start with the "
                + "same settings to continue it, or give a new chain log", other.getMessage());

        java.nio.file.Path garbled = dir.resolve("garbled.jsonl");
        java.nio.file.Files.writeString(garbled, java.nio.file.Files.readString(log) + "not json\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> durable(garbled, Duration.ofMillis(100), GENESIS, started));
        assertTrue(bad.getMessage().startsWith("--chain-log " + garbled + " line 3 cannot be read as this devnet's "
                + "chain (Unrecognized token 'not'"), bad.getMessage());
    }

    @Test
    void openDeadlinesAreTheLatestChallengedAndTheOneBeforeUntilItCloses() {
        DevnetChain c = chain(4, 4, 5, 0, GENESIS);
        assertTrue(c.openDeadlines(4).isEmpty(), "nothing is challenged before epoch 5");
        assertEquals(List.of(0), c.openDeadlines(5).stream().map(DeadlineInfo::index).toList());
        // deadline 1 is challenged at 65 while deadline 0 is open until 85
        assertEquals(List.of(0, 1), c.openDeadlines(70).stream().map(DeadlineInfo::index).toList());
        assertEquals(List.of(1), c.openDeadlines(85).stream().map(DeadlineInfo::index).toList());
    }
}
