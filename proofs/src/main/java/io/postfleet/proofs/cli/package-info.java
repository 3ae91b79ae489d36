/**
 * {@code post-tool}: one small picocli class per command (challenges, tree-r-last, vanilla-proof, pledge, prove,
 * verify, bench). Exit 0 success, 1 invalid proof, 2 bad input, with the reason on stderr.
 */
package io.postfleet.proofs.cli;
