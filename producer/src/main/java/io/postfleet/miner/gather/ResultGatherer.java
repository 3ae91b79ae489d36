package io.postfleet.miner.gather;

import io.postfleet.miner.deadline.ProvingBook;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.events.EventLog;
import io.postfleet.miner.events.EventType;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Verifies answers and settles them in the book: a valid proof is accepted (first one wins) and its skipped sectors
 * become faults; an invalid one, or a failure, is refused and handed to {@code onRefused} so the task is proven
 * again. An answer for a task that is settled already is dropped as a {@link EventType#DUPLICATE} event saying who
 * sent it and how late. Verification runs off the consuming thread.
 */
public final class ResultGatherer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultGatherer.class);

    private final ProvingBook book;
    private final ResultVerifier verifier;
    private final EventLog events;
    private final ExecutorService verifying;
    private volatile BiConsumer<TaskRecord, String> onRefused = (t, why) -> { };
    private volatile Recheck recheck = (t, why) -> false;
    /** Valid window proofs with skipped sectors, waiting for the miner's own proof of the partition. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    /** Answers queued and not yet verified (one cell, also the lock {@link #awaitVerified} waits on). */
    private final int[] queued = new int[1];

    /** Proves a task where the miner holds its sectors. */
    @FunctionalInterface
    public interface Recheck {
        /** @return whether proving started (false: local proving is off, or the task cannot be taken) */
        boolean prove(TaskRecord task, String why);
    }

    private record Held(Answer answer, Answer.Proof.Decoded proof, List<Long> skipped, Instant acceptBy) {
    }

    public ResultGatherer(ProvingBook book, ResultVerifier verifier, EventLog events, int verifierThreads) {
        this.book = book;
        this.verifier = verifier;
        this.events = events;
        this.verifying = Executors.newFixedThreadPool(verifierThreads, r -> {
            Thread t = new Thread(r, "miner-verify");
            t.setDaemon(true);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "miner-recheck");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::acceptOverdue, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** Who proves a partition again before its skipped sectors are declared faulty (the fallback controller). */
    public void onRecheck(Recheck handler) {
        this.recheck = handler;
    }

    /** Who proves a refused task again (the fallback controller). */
    public void onRefused(BiConsumer<TaskRecord, String> handler) {
        this.onRefused = handler;
    }

    /** Queues an answer for verification. */
    public void submit(Answer answer) {
        synchronized (queued) {
            queued[0]++;
        }
        verifying.execute(() -> {
            try {
                handle(answer);
            } catch (RuntimeException e) {
                log.error("verifying the answer for {} failed", answer.taskId(), e);
            } finally {
                synchronized (queued) {
                    queued[0]--;
                    queued.notifyAll();
                }
            }
        });
    }

    /**
     * Waits until every answer queued so far is verified and settled.
     *
     * @return false when {@code limit} passed first
     */
    public boolean awaitVerified(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (queued) {
            while (queued[0] > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(queued, left);
            }
        }
        return true;
    }

    /** Verifies and settles one answer on the calling thread. */
    public void handle(Answer a) {
        Optional<TaskRecord> found = book.task(a.taskId());
        if (found.isEmpty()) {
            log.debug("result for unknown task {} (another miner's, or from before a restart)", a.taskId());
            return;
        }
        TaskRecord task = found.get();
        if (!task.isOpenForResults()) {
            duplicate(task, a);
            return;
        }
        if (a.outcome() == Outcome.EXPIRED) {
            book.refused(task, a.worker() + " answered expired");
            return;
        }
        if (a.outcome() != Outcome.PROVEN) {
            refuse(task, a, a.worker() + " failed: " + a.error());
            return;
        }
        List<Long> skippedIds = a.skipped().stream().map(Answer.Skip::sectorId).toList();
        if (a.proof() instanceof Answer.Proof.Undecodable u) {
            refuse(task, a, "the proof bundle cannot be decoded: " + u.problem());
            return;
        }
        if (!(a.proof() instanceof Answer.Proof.Decoded proof)) {
            refuse(task, a, a.worker() + " answered PROVEN without a proof");
            return;
        }
        if (verifier.verify(task, proof.proof(), skippedIds) instanceof Verdict.Invalid invalid) {
            refuse(task, a, "invalid proof: " + invalid.reason());
            return;
        }
        Held first = held.remove(task.taskId());
        if (first != null) {
            secondOpinion(task, first, a, proof, skippedIds);
            return;
        }
        if (!skippedIds.isEmpty() && task.kind() == PostKind.WINDOW && hold(task, a, proof, skippedIds)) {
            return;
        }
        accept(task, a, proof, skippedIds);
    }

    /**
     * A valid window proof that skipped sectors: unless the miner cannot prove the partition itself, it is held
     * while the miner does, and the proof with fewer skipped sectors is accepted. A sector one worker cannot see
     * (or read) is not declared faulty while another prover can prove it.
     *
     * @return whether the proof is held (false: accept it now)
     */
    private boolean hold(TaskRecord task, Answer a, Answer.Proof.Decoded proof, List<Long> skippedIds) {
        Instant now = Instant.now();
        // the held proof is accepted half-way to the deadline's close if the recheck has not answered by then
        Instant acceptBy = now.plus(Duration.between(now, task.dueAt()).dividedBy(2));
        long notFound = a.skipped().stream().filter(Answer.Skip::notFound).count();
        String why = a.worker() + " skipped sectors " + skippedIds + " (" + notFound + " not found in its storage, "
                + (skippedIds.size() - notFound) + " unreadable or damaged); proving the partition where the miner "
                + "holds them before declaring faults";
        held.put(task.taskId(), new Held(a, proof, skippedIds, acceptBy));
        if (!recheck.prove(task, why)) {
            held.remove(task.taskId());
            return false;
        }
        events.emit(EventType.RECHECK, task.taskId(), task.deadline(), task.partition(), a.worker(), why);
        return true;
    }

    /** The recheck answered: keep whichever valid proof skipped fewer sectors, naming the sectors they disagree on. */
    private void secondOpinion(TaskRecord task, Held first, Answer a, Answer.Proof.Decoded proof,
                               List<Long> skippedIds) {
        if (skippedIds.size() >= first.skipped().size()) {
            accept(task, first.answer(), first.proof(), first.skipped());
            return;
        }
        for (Answer.Skip s : first.answer().skipped()) {
            if (!skippedIds.contains(s.sectorId())) {
                events.emit(EventType.DISAGREEMENT, task.taskId(), task.deadline(), task.partition(), a.worker(),
                        "sector " + s.sectorId() + " skipped by " + first.answer().worker() + " (" + s.reason()
                                + ") was proven by " + a.worker(),
                        Map.of("sector", s.sectorId(), "skipped_by", first.answer().worker(), "proven_by", a.worker(),
                                "not_found", s.notFound()));
            }
        }
        accept(task, a, proof, skippedIds);
    }

    /** Held proofs whose recheck has not answered by their time are accepted as they are. */
    private void acceptOverdue() {
        Instant now = Instant.now();
        for (Map.Entry<String, Held> e : held.entrySet()) {
            if (now.isAfter(e.getValue().acceptBy()) && held.remove(e.getKey(), e.getValue())) {
                book.task(e.getKey()).ifPresent(t -> accept(t, e.getValue().answer(), e.getValue().proof(),
                        e.getValue().skipped()));
            }
        }
    }

    private void accept(TaskRecord task, Answer a, Answer.Proof.Decoded proof, List<Long> skippedIds) {
        if (!book.accept(task, a.worker(), proof.sha256(), skippedIds, Instant.now())) {
            duplicate(task, a); // another answer was accepted while this one was verified
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("started_at", a.startedAt() == null ? null : a.startedAt().toString());
        details.put("finished_at", a.finishedAt() == null ? null : a.finishedAt().toString());
        details.put("proving_ms", a.startedAt() == null || a.finishedAt() == null ? null
                : Duration.between(a.startedAt(), a.finishedAt()).toMillis());
        details.put("since_publish_ms", Duration.between(task.publishedAt(), Instant.now()).toMillis());
        details.put("proof_bytes", proof.bytes());
        details.put("skipped", skippedIds.size());
        details.put("backend", a.backend());
        if (!a.readFrom().isEmpty()) {
            // sector number (as text, for JSON) to the storage node that read it for the prover
            Map<String, String> readFrom = new LinkedHashMap<>();
            new java.util.TreeMap<>(a.readFrom()).forEach((k, v) -> readFrom.put(String.valueOf(k), v));
            details.put("read_from", readFrom);
        }
        events.emit(EventType.ACCEPTED, task.taskId(), task.deadline(), task.partition(), a.worker(), null, details);
        for (Answer.Skip s : a.skipped()) {
            events.emit(EventType.FAULT, task.taskId(), task.deadline(), task.partition(), a.worker(),
                    "sector " + s.sectorId() + " skipped: " + s.reason(), Map.of("sector", s.sectorId(),
                            "not_found", s.notFound()));
        }
        if (task.kind() == PostKind.WINNING) {
            boolean inTime = !Instant.now().isAfter(task.dueAt());
            events.emit(inTime ? EventType.SUBMITTED : EventType.MISSED, task.taskId(), -1, -1, a.worker(),
                    inTime ? (task.dryRun() ? "dry run verified, nothing submitted" : null)
                            : "winning proof verified after the block was due at " + task.dueAt(),
                    Map.of("since_publish_ms", Duration.between(task.publishedAt(), Instant.now()).toMillis()));
        }
    }

    /**
     * An answer for a settled task: late by the time since the accepted answer, or, for a task abandoned at its
     * close, since it was due (never negative).
     */
    private void duplicate(TaskRecord task, Answer a) {
        Instant now = Instant.now();
        Instant acceptedAt = task.acceptedAt();
        Instant since = acceptedAt != null ? acceptedAt : task.dueAt();
        long lateMs = Math.max(0, Duration.between(since, now).toMillis());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("late_ms", lateMs);
        details.put("late_after", acceptedAt != null ? "accepted" : "due");
        details.put("accepted_worker", task.acceptedWorker());
        details.put("outcome", a.outcome().name().toLowerCase(Locale.ROOT));
        details.put("since_publish_ms", Duration.between(task.publishedAt(), now).toMillis());
        String reason = acceptedAt != null
                ? "ignored: came " + lateMs + " ms after " + task.acceptedWorker() + "'s result was accepted"
                : "ignored: came " + lateMs + " ms after the task was due at " + task.dueAt() + " (" + task.state()
                        .name().toLowerCase(Locale.ROOT) + ")";
        events.emit(EventType.DUPLICATE, task.taskId(), task.deadline(), task.partition(), a.worker(), reason,
                details);
    }

    private void refuse(TaskRecord task, Answer a, String why) {
        Held first = held.remove(task.taskId());
        if (first != null) {
            // the recheck failed: the valid proof held meanwhile is the best there is
            log.warn("recheck of {} by {} failed ({}); accepting the proof of {}", task.taskId(), a.worker(), why,
                    first.answer().worker());
            accept(task, first.answer(), first.proof(), first.skipped());
            return;
        }
        book.refused(task, why);
        events.emit(EventType.REJECTED, task.taskId(), task.deadline(), task.partition(), a.worker(), why);
        onRefused.accept(task, why);
    }

    @Override
    public void close() {
        verifying.shutdownNow();
        timer.shutdownNow();
    }
}
