package io.postfleet.proving.storage.remote;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postfleet.proofs.post.FallbackPoStSectorProof;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.RemoteSectors;
import io.postfleet.proofs.post.VanillaProofCodec;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proving.storage.index.Holders;
import io.postfleet.proving.storage.lotus.ApiInfo;
import io.postfleet.proving.storage.lotus.PoStProofType;
import io.postfleet.proving.storage.lotus.PostSectorChallenge;
import io.postfleet.proving.storage.lotus.SealProofType;
import io.postfleet.proving.storage.lotus.SingleVanillaParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Proves sectors no local path holds by asking their holders, as Lotus's PoSt workers do, with one difference that
 * matters to a storage provider: every vanilla proof a holder returns is verified against the sector's comm_r and the
 * challenges this process derived, before it is used. A holder that answers wrong bytes is treated as failed (named
 * in the log, the metrics and the sector's skip reason) and the next one is asked.
 *
 * <p>Holders come from the {@link Holders} index (announced on the storage topic, in an order that spreads a
 * partition's sectors over the nodes that hold them), then from fixed nodes given by the operator (a Lotus storage
 * node, for example). Sectors are asked for in parallel, at most {@code parallel} at once; each request has a
 * time-out, after which the next holder is asked.
 */
public final class RemoteVanillaReads implements RemoteSectors, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteVanillaReads.class);
    private static final int MAX_PROOF_BYTES = 8 << 20;

    /** A node to ask: its name in events and metrics, its base URL and the token to send. */
    public record Source(String name, ApiInfo api) {
    }

    private final Holders holders;
    private final List<Source> fixed;
    private final String token;
    private final PostVerifier verifier;
    private final Duration requestTimeout;
    private final Clock clock;
    private final HttpClient http;
    private final ExecutorService pool;
    private final MeterRegistry meters;

    /**
     * @param holders        the sector index (null: only the fixed nodes)
     * @param fixed          nodes asked after the index's holders, for every sector
     * @param token          the API token sent to holders from the index (they share the miner's secret)
     * @param verifier       checks every answer
     * @param parallel       sectors asked for at once
     * @param requestTimeout how long one holder may take to answer
     * @param meters         where {@code post.storage.remote.*} meters go (null: kept privately)
     */
    public RemoteVanillaReads(Holders holders, List<Source> fixed, String token, PostVerifier verifier,
                              int parallel, Duration requestTimeout, Clock clock, MeterRegistry meters) {
        this.holders = holders;
        this.fixed = List.copyOf(fixed);
        this.token = token == null ? "" : token;
        this.verifier = verifier;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.meters = meters != null ? meters : new SimpleMeterRegistry();
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, parallel), r -> {
            Thread t = new Thread(r, "remote-vanilla-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public List<Outcome> prove(SectorSize size, Kind kind, long minerId, List<ProvingSector> sectors,
                               List<long[]> challenges) {
        List<Future<Outcome>> asked = new ArrayList<>(sectors.size());
        for (int i = 0; i < sectors.size(); i++) {
            ProvingSector s = sectors.get(i);
            long[] c = challenges.get(i);
            asked.add(pool.submit(() -> proveOne(size, kind, minerId, s, c)));
        }
        List<Outcome> out = new ArrayList<>(sectors.size());
        for (Future<Outcome> f : asked) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                out.add(new Unavailable("asking its holders failed: " + e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                asked.forEach(x -> x.cancel(true));
                throw new IllegalStateException("interrupted while reading sectors from their holders", e);
            }
        }
        return out;
    }

    private Outcome proveOne(SectorSize size, Kind kind, long minerId, ProvingSector sector, long[] challenges) {
        List<Source> sources = new ArrayList<>();
        if (holders != null) {
            for (Holders.Holder h : holders.of(minerId, sector.sectorId(), clock.instant())) {
                try {
                    ApiInfo url = ApiInfo.parse(h.baseUrl());
                    sources.add(new Source(h.nodeId(), new ApiInfo(token, url.scheme(), url.host(), url.port(),
                            url.path())));
                } catch (IllegalArgumentException e) {
                    LOG.warn("storage node {} announces an unusable URL '{}': {}", h.nodeId(), h.baseUrl(), e.getMessage());
                }
            }
        }
        sources.addAll(fixed);
        if (sources.isEmpty()) {
            count("none", "-");
            return new Unavailable("no storage node announces it and no remote storage is configured");
        }
        byte[] body = request(size, kind, sector, challenges, minerId).toJson().getBytes(StandardCharsets.UTF_8);
        List<String> tried = new ArrayList<>();
        for (Source src : sources) {
            Answer answer = ask(src, size, sector, challenges, body);
            if (answer.proof() != null) {
                // the holders passed over stay named with the one that served: a holder that answered wrong bytes
                // shows in the miner's events, not only here
                return new Read(answer.proof(), src.name() + " (" + src.api().baseUrl() + ")"
                        + (tried.isEmpty() ? "" : " after " + String.join(", ", tried)));
            }
            tried.add(src.name() + " (" + answer.problem() + ")");
        }
        return new Unavailable("no holder gave a good proof: " + String.join(", ", tried));
    }

    /** What one node answered: a proof that verifies, or (proof null) what was wrong. */
    private record Answer(FallbackPoStSectorProof proof, String problem) {

        static Answer problem(String what) {
            return new Answer(null, what);
        }
    }

    /** Asks one node. */
    private Answer ask(Source src, SectorSize size, ProvingSector sector, long[] challenges, byte[] body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(src.api().remoteUrl() + "/vanilla/single"))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!src.api().authorization().isEmpty()) {
            req.header("Authorization", src.api().authorization());
        }
        long start = System.nanoTime();
        HttpResponse<byte[]> res;
        try {
            res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            count("timeout", src.name());
            return Answer.problem("no answer within " + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            count("unreachable", src.name());
            return Answer.problem("unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() != null ? " " + e.getMessage() : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.problem("interrupted");
        }
        Timer.builder("post.storage.remote.read.duration").description("one remote vanilla read, request to answer")
                .tag("holder", src.name()).publishPercentiles(0.5, 0.99).register(meters)
                .record(Duration.ofNanos(System.nanoTime() - start));
        if (res.statusCode() == 404) {
            count("not_held", src.name());
            return Answer.problem("404 does not hold it");
        }
        if (res.statusCode() != 200) {
            count("error", src.name());
            return Answer.problem("HTTP " + res.statusCode() + ": " + firstLine(res.body()));
        }
        if (res.body().length > MAX_PROOF_BYTES) {
            count("bad_proof", src.name());
            return Answer.problem("answered " + res.body().length + " bytes, more than any vanilla proof");
        }
        FallbackPoStSectorProof proof;
        try {
            proof = VanillaProofCodec.decode(res.body());
        } catch (RuntimeException e) {
            count("bad_proof", src.name());
            LOG.warn("storage node {} answered sector {} with bytes that are not a vanilla proof: {}", src.name(),
                    sector.sectorId(), e.getMessage());
            return Answer.problem("answered bytes that are not a vanilla proof (" + e.getMessage() + ")");
        }
        Verdict v = proof.sectorId() != sector.sectorId()
                ? new Verdict.Invalid("the proof is for sector " + proof.sectorId())
                : verifier.verifySector(size, proof, sector.commR(), challenges);
        if (v instanceof Verdict.Invalid bad) {
            count("bad_proof", src.name());
            Counter.builder("post.storage.remote.holders.failed").description("holders whose answer did not verify")
                    .tag("holder", src.name()).register(meters).increment();
            LOG.warn("storage node {} answered sector {} with a proof that does not verify ({}); asking the next holder",
                    src.name(), sector.sectorId(), bad.reason());
            return Answer.problem("answered a proof that does not verify: " + bad.reason());
        }
        count("proven", src.name());
        Counter.builder("post.storage.remote.read.bytes").description("vanilla proof bytes read from holders")
                .baseUnit("bytes").tag("holder", src.name()).register(meters).increment(res.body().length);
        return new Answer(proof, null);
    }

    /** The Lotus request for this sector's challenges (seal proof V1_1 of its size, the current PoSt proof types). */
    static SingleVanillaParams request(SectorSize size, Kind kind, ProvingSector sector, long[] challenges, long minerId) {
        SealProofType seal = SealProofType.of(size.registeredWinningProof() + 5L);
        PoStProofType post = PoStProofType.of(kind == Kind.WINNING ? size.registeredWinningProof()
                : size.registeredWindowProof());
        return new SingleVanillaParams(minerId, new PostSectorChallenge(seal, sector.sectorId(), sector.commR(),
                challenges, sector.files() != null && sector.files().updated()), post);
    }

    private void count(String outcome, String holder) {
        Counter.builder("post.storage.remote.reads").description("remote vanilla reads by outcome and holder")
                .tag("outcome", outcome).tag("holder", holder).register(meters).increment();
    }

    private static String firstLine(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
