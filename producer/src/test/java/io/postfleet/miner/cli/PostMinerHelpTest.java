package io.postfleet.miner.cli;

import io.postfleet.cli.CommandTree;
import io.postfleet.cli.UsageCheck;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every post-miner command, found by walking the command tree, answers --help and -h with its usage and exit 0. */
class PostMinerHelpTest {

    @TestFactory
    Stream<DynamicTest> everyCommandPrintsItsUsageOnHelpAndExitsZero() {
        return CommandTree.of(PostMiner.commandLine()).stream().map(node -> DynamicTest.dynamicTest(
                node.qualifiedName(),
                () -> assertEquals(List.of(), UsageCheck.problems(PostMiner::commandLine, node.words()))));
    }

    @Test
    void theWalkReachesTheNestedCommands() {
        List<String> names = CommandTree.of(PostMiner.commandLine()).stream().map(CommandTree.Node::qualifiedName)
                .toList();
        assertTrue(names.containsAll(List.of("post-miner", "post-miner run", "post-miner proving",
                "post-miner proving deadlines", "post-miner proving workers", "post-miner proving compute",
                "post-miner proving compute window-post", "post-miner proving compute winning-post",
                "post-miner auth", "post-miner auth create-token", "post-miner auth api-info")), names.toString());
    }
}
