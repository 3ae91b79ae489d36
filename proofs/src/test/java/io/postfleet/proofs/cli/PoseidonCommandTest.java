package io.postfleet.proofs.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoseidonCommandTest {

    private static final String ZERO = "0000000000000000000000000000000000000000000000000000000000000000";
    private static final String ONE = "0100000000000000000000000000000000000000000000000000000000000000";
    /** p itself, little-endian: the smallest non-canonical value. */
    private static final String P = "01000000fffffffffe5bfeff02a4bd5305d8a10908d83933487d9d2953a7ed73";

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new PostTool());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void printsTheDigestOfZeroAndOne() {
        Run r = run("poseidon", "--arity", "2", ZERO, ONE);
        assertEquals(0, r.exit(), r.err());
        assertEquals("ffe7029a363c202e9da6059d33a9fba661e1ef02d90f9e736ba5765ed7086539", r.out().trim());
    }

    @Test
    void refusesAWrongNumberOfInputs() {
        Run r = run("poseidon", "--arity", "2", ZERO);
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("needs exactly 2"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void refusesNonCanonicalValuesInsteadOfReducingThem() {
        Run r = run("poseidon", "--arity", "2", ZERO, P);
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("not a canonical"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void refusesMalformedHex() {
        for (String bad : new String[] {"0x" + ZERO.substring(2), ZERO.substring(1), ZERO + "00", "zz" + ZERO.substring(2)}) {
            Run r = run("poseidon", "--arity", "2", ZERO, bad);
            assertEquals(2, r.exit(), bad);
            assertTrue(r.err().contains("64 hex digits"), r.err());
        }
        assertEquals(2, run("poseidon", "--arity", "3", ZERO, ZERO, ZERO).exit());
    }
}
