package io.postfleet.proofs.cli;

import io.postfleet.cli.CommandTree;
import io.postfleet.cli.UsageCheck;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every post-tool command, found by walking the command tree, answers --help and -h with its usage and exit 0. */
class PostToolHelpTest {

    @TestFactory
    Stream<DynamicTest> everyCommandPrintsItsUsageOnHelpAndExitsZero() {
        return CommandTree.of(PostTool.commandLine()).stream().map(node -> DynamicTest.dynamicTest(
                node.qualifiedName(),
                () -> assertEquals(List.of(), UsageCheck.problems(PostTool::commandLine, node.words()))));
    }

    @Test
    void theWalkReachesTheNestedCommands() {
        List<String> names = CommandTree.of(PostTool.commandLine()).stream().map(CommandTree.Node::qualifiedName)
                .toList();
        assertTrue(names.containsAll(List.of("post-tool", "post-tool prove", "post-tool prove window",
                "post-tool prove winning", "post-tool verify window", "post-tool challenges winning")),
                names.toString());
    }
}
