package io.postfleet.miner.chain;

import java.util.List;

/**
 * The miner won the election at {@code epoch}: it must prove one of its {@code eligible} sectors (ascending by number)
 * with the epoch's masked {@code randomness} before the block is due.
 */
public record WinningTicket(long epoch, byte[] randomness, List<ChainSector> eligible) {
    public WinningTicket {
        randomness = randomness.clone();
        eligible = List.copyOf(eligible);
    }

    @Override
    public byte[] randomness() {
        return randomness.clone();
    }
}
