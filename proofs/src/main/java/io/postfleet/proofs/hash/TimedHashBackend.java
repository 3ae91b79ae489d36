package io.postfleet.proofs.hash;

/**
 * Passes every call on to another backend and keeps account of them: how long at least one call was running
 * (concurrent calls count once), how long after {@link #reset()} the first call came, how many hashes were done and
 * how many subtrees {@link #hashLevels} built. A caller can so split work it does not see into waiting for the
 * first hash (the prover reads every sector before it hashes) and hashing, without the work knowing. Closing it does
 * not close the wrapped backend, which stays its opener's.
 */
public final class TimedHashBackend implements HashBackend {

    /**
     * What the backend did since the last reset.
     *
     * @param busyNanos           wall time during which at least one call was running
     * @param untilFirstCallNanos from the reset to the start of the first call; -1 when there was none
     * @param hashes              Poseidon hashes (groups) computed
     * @param subtrees            subtrees {@link #hashLevels} built: for a prover, the replica segments it rebuilt
     */
    public record Usage(long busyNanos, long untilFirstCallNanos, long hashes, long subtrees) {
    }

    private final HashBackend backend;
    private long resetAt;
    private long firstCallAt;
    private boolean called;
    private int running;
    private long busySince;
    private long busy;
    private long hashes;
    private long subtrees;

    public TimedHashBackend(HashBackend backend) {
        this.backend = backend;
        reset();
    }

    public synchronized void reset() {
        resetAt = System.nanoTime();
        called = false;
        busy = 0;
        hashes = 0;
        subtrees = 0;
        if (running > 0) {
            busySince = resetAt;
        }
    }

    public synchronized Usage usage() {
        long b = busy + (running > 0 ? System.nanoTime() - busySince : 0);
        return new Usage(b, called ? firstCallAt - resetAt : -1, hashes, subtrees);
    }

    @Override
    public String description() {
        return backend.description();
    }

    @Override
    public void hashGroups(int arity, byte[] in, int inOff, int count, byte[] out, int outOff) {
        started();
        try {
            backend.hashGroups(arity, in, inOff, count, out, outOff);
        } finally {
            ended(count, 0);
        }
    }

    @Override
    public byte[] hashLevels(int arity, byte[] leaves, int leavesOff, long leafCount, int levels) {
        started();
        long groups = 0;
        long width = leafCount;
        for (int l = 0; l < levels; l++) {
            width /= arity;
            groups += width;
        }
        try {
            return backend.hashLevels(arity, leaves, leavesOff, leafCount, levels);
        } finally {
            ended(groups, width);
        }
    }

    private synchronized void started() {
        long now = System.nanoTime();
        if (!called) {
            called = true;
            firstCallAt = now;
        }
        if (running++ == 0) {
            busySince = now;
        }
    }

    private synchronized void ended(long groups, long trees) {
        if (--running == 0) {
            busy += System.nanoTime() - busySince;
        }
        hashes += groups;
        subtrees += trees;
    }
}
