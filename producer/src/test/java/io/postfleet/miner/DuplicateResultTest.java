package io.postfleet.miner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.postfleet.miner.chain.ChainSector;
import io.postfleet.miner.chain.DevnetChain;
import io.postfleet.miner.chain.DevnetSettings;
import io.postfleet.miner.deadline.ProvingBook;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.dispatch.TaskFactory;
import io.postfleet.miner.events.EventLog;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.miner.gather.Answer;
import io.postfleet.miner.gather.ResultGatherer;
import io.postfleet.miner.gather.ResultVerifier;
import io.postfleet.miner.lag.LagMonitor;
import io.postfleet.miner.lag.WorkerRoster;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProofBundle;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostKind;
import io.postfleet.testkit.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second valid answer for a task already accepted, and an answer for a task abandoned at its due time, are each
 * one {@code duplicate} event naming the worker that sent it and how late it came, and the miner's
 * {@code post.miner.results.duplicate} meter counts them. The proofs are real winning proofs, verified as the miner
 * verifies them.
 */
class DuplicateResultTest {

    private static final long MINER = 1000;

    @TempDir
    Path dir;

    @Test
    void aLateSecondAnswerIsOneDuplicateEventWithTheWorkerAndHowLateAndIsCounted() throws Exception {
        try (CpuHashBackend backend = new CpuHashBackend(); Admin admin = EmbeddedKafka.shared().admin()) {
            Manifest m = new TestSectors(backend).pledge(dir, SectorSize.KIB_2, MINER, 3, 0, 17, false, n -> { });
            List<ChainSector> sectors = m.sectors().stream()
                    .map(e -> new ChainSector(e.id(), e.commR(), false)).toList();
            byte[] proverId = ChallengeDeriver.proverId(MINER);
            TaskFactory factory = new TaskFactory(MINER, SectorSize.KIB_2.label(), -1, -1,
                    ApiVersion.WINDOW_DEFAULT.label());
            EventLog events = new EventLog(null);
            DevnetChain chain = new DevnetChain(new DevnetSettings(Duration.ofMillis(100), Instant.now(), MINER, 2, 1,
                    3, 0, null), sectors, Clock.systemUTC());
            ProvingBook book = new ProvingBook(chain, events);
            WorkerRoster roster = new WorkerRoster(Duration.ofSeconds(15), Clock.systemUTC());
            MinerMetrics metrics = new MinerMetrics(events, new LagMonitor(admin, roster, List.of(
                    new LagMonitor.Watched(PostKind.WINDOW, "duplicate-window", "duplicate.post.window.tasks"),
                    new LagMonitor.Watched(PostKind.WINNING, "duplicate-winning", "duplicate.post.winning.tasks"))),
                    roster);
            ResultVerifier verifier = new ResultVerifier(new PostVerifier(backend), SectorSize.KIB_2,
                    ApiVersion.WINDOW_DEFAULT, proverId);
            PartitionProver prover = new PartitionProver(backend, ProverSettings.defaults());

            try (ResultGatherer gatherer = new ResultGatherer(book, verifier, events, 1)) {
                // accepted from worker-a, then the same task answered again by worker-b
                TaskRecord open = winning(factory, sectors, 21, Instant.now().plusSeconds(60));
                book.addWinning(open);
                PartitionProof proof = prove(prover, m, open);
                gatherer.handle(answer(open, "worker-a", proof));
                assertEquals("worker-a", open.acceptedWorker());
                gatherer.handle(answer(open, "worker-b", proof));

                List<MinerEvent> duplicates = events.history().stream()
                        .filter(e -> e.type() == EventType.DUPLICATE).toList();
                assertEquals(1, duplicates.size(), events.history().toString());
                MinerEvent d = duplicates.get(0);
                assertEquals(open.taskId(), d.taskId());
                assertEquals("worker-b", d.worker());
                assertEquals("worker-a", d.details().get("accepted_worker"));
                assertEquals("accepted", d.details().get("late_after"));
                assertTrue(((Number) d.details().get("late_ms")).longValue() >= 0, d.toString());
                assertEquals(1, events.history().stream().filter(e -> e.type() == EventType.ACCEPTED).count(),
                        "the first answer stays the accepted one");

                // a task whose block was due two seconds ago, abandoned by the book, then answered
                TaskRecord overdue = winning(factory, sectors, 22, Instant.now().minusSeconds(2));
                book.addWinning(overdue);
                book.settle(chain.currentEpoch(), Instant.now());
                gatherer.handle(answer(overdue, "worker-c", prove(prover, m, overdue)));
                MinerEvent late = events.history().stream().filter(e -> e.type() == EventType.DUPLICATE)
                        .reduce((a, b) -> b).orElseThrow();
                assertEquals(overdue.taskId(), late.taskId());
                assertEquals("worker-c", late.worker());
                assertEquals("due", late.details().get("late_after"));
                assertTrue(((Number) late.details().get("late_ms")).longValue() >= 2000, late.toString());
            }

            assertEquals(2, metrics.count(EventType.DUPLICATE));
            String scraped = metrics.scrape();
            assertTrue(scraped.contains("post_miner_results_duplicate_seconds_count 2"), scraped);
            assertTrue(scraped.contains("post_miner_events_total{type=\"duplicate\"} 2"), scraped);
        }
    }

    private static TaskRecord winning(TaskFactory factory, List<ChainSector> eligible, int seed, Instant dueAt) {
        byte[] randomness = new byte[32];
        randomness[0] = (byte) seed;
        int index = ChallengeDeriver.winningSectorIndex(randomness, ChallengeDeriver.proverId(MINER), eligible.size());
        ChainSector sector = eligible.get(index);
        return new TaskRecord(factory.winning(seed, randomness, eligible.size(), index, sector, dueAt, false), -1, -1,
                List.of(sector), eligible);
    }

    private static PartitionProof prove(PartitionProver prover, Manifest m, TaskRecord task) {
        ChainSector sector = task.sectors().get(0);
        return prover.proveWinning(SectorSize.KIB_2, MINER, task.randomness(), ChallengeDeriver.proverId(MINER),
                new ProvingSector(sector.sectorId(), sector.commR(), m.storagePaths().locate(MINER,
                        sector.sectorId()).orElseThrow()));
    }

    private static Answer answer(TaskRecord task, String worker, PartitionProof proof) throws Exception {
        byte[] bundle = ProofBundle.encode(proof);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));
        Instant now = Instant.now();
        return new Answer(task.taskId(), worker, Outcome.PROVEN, new Answer.Proof.Decoded(proof, bundle.length, sha),
                List.of(), null, now, now, "java", Map.of());
    }
}
