package io.postfleet.e2e.compose;

import io.postfleet.miner.cli.PostMiner;
import io.postfleet.worker.cli.PostWorkerMain;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three-broker override: three nodes of one quorum, and every client given all three with 3 replicas. */
class ReplicatedComposeFileTest {

    @Test
    @SuppressWarnings("unchecked")
    void threeNodesOfOneQuorumAndClientsThatKnowAllThree() throws Exception {
        Map<String, Map<String, Object>> services = ComposeFiles.services(
                ComposeFiles.load("docker-compose.replicated.yml"));
        for (String node : List.of("kafka", "kafka-2", "kafka-3")) {
            Map<String, Object> env = (Map<String, Object>) services.get(node).get("environment");
            assertEquals("1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093", env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"), node);
            assertEquals(2, env.get("KAFKA_MIN_INSYNC_REPLICAS"), node);
        }
        List<String> miner = ComposeFiles.command(services.get("miner"));
        CommandLine.ParseResult m = PostMiner.commandLine().parseArgs(miner.subList(1, miner.size())
                .toArray(String[]::new));
        assertEquals("3", String.valueOf((Object) m.subcommand().matchedOption("--topic-replication").getValue()));
        assertEquals("kafka:9092,kafka-2:9092,kafka-3:9092",
                String.valueOf((Object) m.subcommand().matchedOption("--bootstrap").getValue()));
        for (String w : List.of("window-worker", "winning-worker")) {
            List<String> cmd = ComposeFiles.command(services.get(w));
            CommandLine.ParseResult p = PostWorkerMain.commandLine().parseArgs(cmd.subList(1, cmd.size())
                    .toArray(String[]::new));
            assertTrue(p.subcommand().hasMatchedOption("--topic-replication"), w);
        }
    }
}
