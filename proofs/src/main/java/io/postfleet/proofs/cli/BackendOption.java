package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.hash.HashBackend;

/** Where commands get their hash backend: the CPU path (GPU selection comes with the --gpu option). */
final class BackendOption {

    HashBackend open() {
        return new CpuHashBackend();
    }
}
