package io.postfleet.messaging.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes the broker's topics fit their specs at start-up: creates the missing ones, and refuses existing ones with
 * too few partitions or a config that differs, with a message naming the topic, what differs and the command that
 * fixes it. Nothing is altered silently: changing an existing topic is the operator's decision.
 */
public final class TopicChecker {

    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;

    public TopicChecker(Admin admin) {
        this.admin = admin;
    }

    /**
     * Creates missing topics and verifies existing ones.
     *
     * @return one line per topic saying what was done ("created ..." or "ok ...")
     * @throws TopicMismatchException listing every mismatch found
     */
    public List<String> ensure(Collection<TopicSpec> specs) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> report = new ArrayList<>();
            List<NewTopic> create = new ArrayList<>();
            for (TopicSpec s : specs) {
                if (!existing.contains(s.name())) {
                    create.add(new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()));
                }
            }
            Set<String> createdHere = new java.util.HashSet<>();
            Set<String> racing = new java.util.HashSet<>();
            for (NewTopic t : create) {
                try {
                    admin.createTopics(List.of(t)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    report.add("created " + t.name() + " (" + t.numPartitions() + " partitions)");
                    createdHere.add(t.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t.name() + ": " + e.getCause()
                                .getMessage() + "; check the broker's limits and the client's ACLs", e.getCause());
                    }
                    // another process created it at the same moment: verify it like any existing topic, once the
                    // broker's metadata shows it
                    racing.add(t.name());
                }
            }
            Set<String> fresh = new java.util.HashSet<>(createdHere);
            fresh.addAll(racing);
            awaitVisible(fresh);
            List<TopicSpec> toVerify = specs.stream().filter(s -> !createdHere.contains(s.name())).toList();
            List<String> problems = verifySettled(toVerify);
            if (!problems.isEmpty()) {
                throw new TopicMismatchException(String.join("\n", problems));
            }
            for (TopicSpec s : toVerify) {
                report.add("ok " + s.name());
            }
            return report;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot check topics on the broker: " + e
                    + "; check --bootstrap and that the broker is up", e);
        }
    }

    /** Waits until the broker's metadata shows the new topics, so a client started next can use them at once. */
    private void awaitVisible(Set<String> names) throws InterruptedException, TimeoutException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!names.isEmpty()) {
            try {
                admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > end) {
                    throw new TimeoutException("topics " + names + " created but not visible after "
                            + TIMEOUT_SECONDS + " s: " + e.getCause());
                }
                Thread.sleep(50);
            }
        }
    }

    /** {@link #verify}, retried while a topic created a moment ago by another client is not yet known everywhere. */
    private List<String> verifySettled(List<TopicSpec> specs) throws InterruptedException, ExecutionException,
            TimeoutException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return verify(specs);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > end) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private List<String> verify(List<TopicSpec> specs) throws InterruptedException, ExecutionException,
            TimeoutException {
        if (specs.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(
                specs.stream().map(TopicSpec::name).toList()).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<ConfigResource, Config> configs = admin.describeConfigs(specs.stream()
                .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList())
                .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> problems = new ArrayList<>();
        for (TopicSpec s : specs) {
            int actual = descriptions.get(s.name()).partitions().size();
            if (actual < s.partitions()) {
                problems.add("topic " + s.name() + " has " + actual + " partitions, needs at least " + s.partitions()
                        + ": add partitions with `kafka-topics.sh --bootstrap-server ... --alter --topic " + s.name()
                        + " --partitions " + s.partitions() + "` (or configure a smaller partition count)");
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, s.name()));
            for (var want : s.configs().entrySet()) {
                ConfigEntry have = config.get(want.getKey());
                String value = have == null ? null : have.value();
                if (!want.getValue().equals(value)) {
                    problems.add("topic " + s.name() + " has " + want.getKey() + "=" + value + ", expected "
                            + want.getValue() + ": set it with `kafka-configs.sh --bootstrap-server ... --alter"
                            + " --entity-type topics --entity-name " + s.name() + " --add-config " + want.getKey()
                            + "=" + want.getValue() + "`");
                }
            }
        }
        return problems;
    }
}
