package io.postfleet.miner.cli;

import picocli.CommandLine.Option;

/** Where the broker and the registry are; every command that talks to Kafka mixes these in. */
public final class ConnectionOptions {

    @Option(names = "--bootstrap", required = true, defaultValue = "${env:POSTFLEET_BOOTSTRAP}",
            description = "Kafka bootstrap servers, e.g. 127.0.0.1:9092 (env POSTFLEET_BOOTSTRAP).")
    String bootstrap;

    @Option(names = "--registry", required = true, defaultValue = "${env:POSTFLEET_REGISTRY}",
            description = "Schema registry URL, e.g. http://127.0.0.1:8081 (env POSTFLEET_REGISTRY).")
    String registry;

    @Option(names = "--topic-prefix", defaultValue = "",
            description = "Prefix of every topic and consumer group name (default: none; topics post.window.tasks, ...).")
    String topicPrefix;
}
