package io.postfleet.worker.cli;

import io.postfleet.cli.CommandTree;
import io.postfleet.cli.UsageCheck;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every post-worker command, found by walking the command tree, answers --help and -h with its usage and exit 0. */
class PostWorkerHelpTest {

    @TestFactory
    Stream<DynamicTest> everyCommandPrintsItsUsageOnHelpAndExitsZero() {
        return CommandTree.of(PostWorkerMain.commandLine()).stream().map(node -> DynamicTest.dynamicTest(
                node.qualifiedName(),
                () -> assertEquals(List.of(), UsageCheck.problems(PostWorkerMain::commandLine, node.words()))));
    }

    @Test
    void theWalkReachesEveryCommand() {
        assertEquals(List.of("post-worker", "post-worker run", "post-worker replay", "post-worker serve-storage"),
                CommandTree.of(PostWorkerMain.commandLine()).stream().map(CommandTree.Node::qualifiedName).toList());
    }
}
