package io.postfleet.miner.deadline;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.TimeGauge;
import io.postfleet.miner.chain.ChainSource;
import io.postfleet.schemas.PostKind;

import java.util.concurrent.TimeUnit;

/**
 * Gauges read from the proving book at each scrape: deadlines by state, tasks by kind and state, and for the deadline
 * proven now (the earliest one not settled) how many epochs are left before it closes and how many of its partitions
 * still lack an accepted proof: the two an at-risk alert compares. Dry runs are left out: nothing is submitted.
 */
public final class ProvingMeters implements MeterBinder {

    private final ProvingBook book;
    private final ChainSource chain;
    private final Duration winningBudget;

    public ProvingMeters(ProvingBook book, ChainSource chain, Duration winningBudget) {
        this.book = book;
        this.chain = chain;
        this.winningBudget = winningBudget;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String state : new String[] {"proving", "submitted", "missed"}) {
            Gauge.builder("post.miner.deadlines", this, m -> m.deadlines(state)).tag("state", state)
                    .description("deadlines in the miner's book (the last two proving periods) by state: proving "
                            + "(not settled yet), submitted, missed")
                    .register(registry);
        }
        for (PostKind kind : PostKind.values()) {
            String k = kind.name().toLowerCase(Locale.ROOT);
            for (String state : new String[] {"pending", "proving", "local", "accepted", "abandoned"}) {
                Gauge.builder("post.miner.partitions", this, m -> m.tasks(kind, state)).tag("kind", k)
                        .tag("state", state)
                        .description("tasks in the miner's book (a window task is one partition of a deadline) by "
                                + "state: pending (published, no worker started it), proving (a worker started it), "
                                + "local (the miner proves it), accepted, abandoned")
                        .register(registry);
            }
        }
        Gauge.builder("post.miner.deadline.epochs.left", this, ProvingMeters::epochsLeft)
                .description("epochs before the deadline proven now closes (NaN when no deadline is being proven)")
                .register(registry);
        Gauge.builder("post.miner.deadline.partitions.unaccepted", this, ProvingMeters::unaccepted)
                .description("partitions of the deadline proven now without an accepted proof (0 when none is "
                        + "being proven)")
                .register(registry);
        TimeGauge.builder("post.miner.winning.budget", winningBudget, TimeUnit.MILLISECONDS, Duration::toMillis)
                .description("the time a winning proof may take (--winning-budget), to compare proving times with")
                .register(registry);
    }

    private double deadlines(String state) {
        return book.deadlines().stream().filter(r -> !r.dryRun()).filter(r -> switch (state) {
            case "proving" -> !r.settled();
            case "submitted" -> r.settled() && r.complete();
            default -> r.settled() && !r.complete();
        }).count();
    }

    private double tasks(PostKind kind, String state) {
        return book.all().stream().filter(t -> t.kind() == kind && !t.dryRun() && state.equals(stateOf(t))).count();
    }

    private static String stateOf(TaskRecord t) {
        TaskState s = t.state();
        if (s == TaskState.PENDING && t.startedByAnyone()) {
            return "proving";
        }
        return s.name().toLowerCase(Locale.ROOT);
    }

    private Optional<DeadlineRun> current() {
        return book.deadlines().stream().filter(r -> !r.dryRun() && !r.settled())
                .min((a, b) -> Long.compare(a.info().closeEpoch(), b.info().closeEpoch()));
    }

    private double epochsLeft() {
        return current().map(r -> (double) Math.max(0, r.info().closeEpoch() - chain.currentEpoch()))
                .orElse(Double.NaN);
    }

    private double unaccepted() {
        return current().map(r -> (double) r.tasks().stream().filter(t -> t.state() != TaskState.ACCEPTED).count())
                .orElse(0.0);
    }
}
