package io.postfleet.cli;

import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageCheckTest {

    @Command(name = "tool", mixinStandardHelpOptions = true, description = "Does the tool's work.",
            subcommands = {Answers.class, Deaf.class})
    static final class Tool implements Runnable {
        @Override
        public void run() {
        }
    }

    @Command(name = "answers", mixinStandardHelpOptions = true, description = "Answers --help.")
    static final class Answers implements Runnable {
        @Option(names = "--depth", description = "How deep to go.")
        int depth;

        @Override
        public void run() {
        }
    }

    @Command(name = "deaf", description = "Knows no --help.")
    static final class Deaf implements Runnable {
        @Option(names = "--undocumented")
        int undocumented;

        @Override
        public void run() {
        }
    }

    static CommandLine tool() {
        return new CommandLine(new Tool());
    }

    @Test
    void theTreeListsTheRootThenEachSubcommand() {
        assertEquals(List.of("tool", "tool answers", "tool deaf"),
                CommandTree.of(tool()).stream().map(CommandTree.Node::qualifiedName).toList());
        assertEquals(List.of("answers"), CommandTree.of(tool()).get(1).words());
    }

    @Test
    void aCommandWithItsUsageOnHelpHasNoProblems() {
        assertEquals(List.of(), UsageCheck.problems(UsageCheckTest::tool, List.of()));
        assertEquals(List.of(), UsageCheck.problems(UsageCheckTest::tool, List.of("answers")));
    }

    @Test
    void aCommandWithoutHelpIsReportedWithTheFlagAndTheError() {
        List<String> problems = UsageCheck.problems(UsageCheckTest::tool, List.of("deaf"));
        assertTrue(problems.contains("tool deaf --help: exit 2, expected 0 (Unknown option: '--help')"),
                problems.toString());
        assertTrue(problems.contains("tool deaf -h: printed on stderr (Unknown option: '-h')"), problems.toString());
        assertTrue(problems.contains("tool deaf --help: option --undocumented has no description"),
                problems.toString());
    }
}
