package io.postfleet.proving.storage.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.post.FallbackPoStSectorProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.SectorFaultException;
import io.postfleet.proofs.post.VanillaProofCodec;
import io.postfleet.proofs.sector.PersistentAux;
import io.postfleet.proofs.sector.SectorFiles;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proving.storage.lotus.CommCid;
import io.postfleet.proving.storage.lotus.PostSectorChallenge;
import io.postfleet.proving.storage.lotus.SingleVanillaParams;

/**
 * Answers one sector's challenges from the local storage paths, as Lotus's {@code Local.GenerateSingleVanillaProof}:
 * the sector is looked up by miner and number in {@code sealed/} + {@code cache/} (or {@code update/} +
 * {@code update-cache/} when the request says the sector was upgraded); without both it is not held here. Its p_aux
 * must give the comm_r the request names before the challenged leaves are read; then the proofs library's prover
 * reads and proves them, checking every path against comm_r_last.
 *
 * <p>Every look into the storage (locating the sector, reading p_aux, reading the challenged nodes) is counted:
 * {@link #storageAccesses()} lets tests see that a refused request read nothing.
 */
public final class LocalVanillaProver {

    private final StoragePaths paths;
    private final PartitionProver prover;
    private final HashBackend backend;
    private final AtomicLong accesses = new AtomicLong();
    private volatile Runnable beforeRead = () -> { };

    /**
     * @param paths  the storage paths the sectors are looked up in
     * @param prover the prover; its settings bound each read (sector time-out)
     */
    public LocalVanillaProver(StoragePaths paths, PartitionProver prover) {
        this.paths = paths;
        this.prover = prover;
        this.backend = prover.backend();
    }

    public StoragePaths paths() {
        return paths;
    }

    /** How many times the storage paths were looked into so far. */
    public long storageAccesses() {
        return accesses.get();
    }

    /** Runs {@code hook} before the challenged nodes are read (tests stand in for slow storage with it). */
    void beforeRead(Runnable hook) {
        this.beforeRead = hook;
    }

    /** Proves the request's challenges of its sector. */
    public VanillaAnswer prove(SingleVanillaParams request) {
        PostSectorChallenge c = request.sector();
        long miner = request.miner();
        String sector = "sector " + c.sectorNumber() + " of t0" + miner;
        accesses.incrementAndGet();
        SectorFiles files = paths.locate(miner, c.sectorNumber(), c.update()).orElse(null);
        String replicaDir = c.update() ? StoragePaths.UPDATE : StoragePaths.SEALED;
        if (files == null) {
            return new VanillaAnswer.NotHeld(sector + " is not held here: no " + replicaDir + "/"
                    + SectorFiles.sectorName(miner, c.sectorNumber()) + " in " + rootsInWords());
        }
        if (!Files.isDirectory(files.cacheDir())) {
            return new VanillaAnswer.NotHeld(sector + " is not held here: its replica " + files.sealed()
                    + " is, but no cache directory " + files.cacheDir().getFileName() + " in " + rootsInWords());
        }
        accesses.incrementAndGet();
        PersistentAux aux;
        try {
            aux = PersistentAux.read(files.pAux());
        } catch (IOException e) {
            return new VanillaAnswer.Failed(sector + ": " + (e instanceof java.nio.file.NoSuchFileException
                    ? "p_aux missing: " + files.pAux() : e.getMessage()));
        }
        byte[] in = new byte[2 * Node.SIZE];
        System.arraycopy(aux.commC(), 0, in, 0, Node.SIZE);
        System.arraycopy(aux.commRLast(), 0, in, Node.SIZE, Node.SIZE);
        byte[] held = new byte[Node.SIZE];
        backend.hashGroups(2, in, 0, 1, held, 0);
        byte[] asked = c.commR();
        if (!Arrays.equals(held, asked)) {
            return new VanillaAnswer.Failed(sector + ": the request's SealedCID " + CommCid.encode(asked)
                    + " is not the comm_r of the sector held here (" + CommCid.encode(held) + ", from p_aux in "
                    + files.cacheDir() + "): the request names another comm_r, or these files belong to another"
                    + " sector");
        }
        beforeRead.run();
        accesses.incrementAndGet();
        FallbackPoStSectorProof proof;
        try {
            proof = prover.vanillaProof(request.proofType().size(), new ProvingSector(c.sectorNumber(), asked, files),
                    c.challenge());
        } catch (SectorFaultException e) {
            return new VanillaAnswer.Failed(e.getMessage().replaceFirst("^sector \\d+", sector));
        } catch (IllegalStateException e) {
            return new VanillaAnswer.Failed(sector + ": " + e.getMessage());
        }
        return new VanillaAnswer.Proof(VanillaProofCodec.encode(proof));
    }

    private String rootsInWords() {
        int n = paths.roots().size();
        return n == 1 ? "the storage path " + paths.roots().get(0) : "any of the " + n + " storage paths";
    }
}
