package io.postfleet.proofs.hash.opencl;

import io.postfleet.proofs.poseidon.PoseidonParameters;
import java.util.List;

/** The Poseidon instances Filecoin uses, taken from the poseidon package (which generates the constants). */
final class FilecoinPoseidon {

    private FilecoinPoseidon() {
    }

    /** One plain instance per arity of {@link PoseidonParameters#ARITIES}. */
    static List<PlainPoseidon> shapes() {
        return PoseidonParameters.ARITIES.stream().map(FilecoinPoseidon::plain).toList();
    }

    static PlainPoseidon plain(int arity) {
        PoseidonParameters p = PoseidonParameters.forArity(arity);
        return new PlainPoseidon(p.arity(), p.fullRounds(), p.partialRounds(), p.roundConstants(), p.mds());
    }
}
