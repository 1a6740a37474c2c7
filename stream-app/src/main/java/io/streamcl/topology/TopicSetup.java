package io.streamcl.topology;

import io.streamcl.config.AuthenticationFailure;
import io.streamcl.config.KafkaClients;
import io.streamcl.config.Settings;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the app's topics when missing and checks the ones that must have a single partition. */
public final class TopicSetup {
    /** Snapshots are one record each and may be several MB. */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;
    /** The topics were created a moment ago: the broker answering may not know them yet. */
    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The topics the app reads as streams keep records by the time the broker appended them, not by the
     * producer's timestamp: a replay of history stamped with its event times would otherwise be deleted by
     * time retention within minutes, before it was read, and a timestamp far in the future would be refused.
     * Event time lives in the Avro record.
     */
    private static final Map<String, String> APPEND_TIME = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
            "LogAppendTime");
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {}

    /** The names of every topic the app uses, as {@link #ensureTopics} creates them. */
    public static List<String> topicNames(Settings settings, ItemKinds kinds) {
        return wanted(settings, kinds).stream().map(NewTopic::name).toList();
    }

    private static List<NewTopic> wanted(Settings settings, ItemKinds kinds) {
        Topics topics = Topics.from(settings);
        int partitions = settings.get(Settings.TOPIC_PARTITIONS);
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(new NewTopic(topics.rawItems(), partitions, (short) -1).configs(APPEND_TIME));
        wanted.add(new NewTopic(topics.deadLetters(), 1, (short) -1).configs(APPEND_TIME));
        wanted.add(new NewTopic(topics.embeddings(), partitions, (short) -1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // compaction keeps the newest snapshot per kind forever, and older ones for at least a week, so that
        // `models` can list them and `export-model --version` find them
        wanted.add(new NewTopic(topics.models(), 1, (short) -1).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(java.time.Duration.ofDays(7).toMillis()),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES))));
        wanted.add(new NewTopic(topics.status(), 1, (short) -1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        for (ItemKind<?> kind : kinds.all()) {
            wanted.add(new NewTopic(topics.train(kind.name()), 1, (short) -1).configs(APPEND_TIME));
            if (kind.entityHistory().isPresent()) {
                wanted.add(new NewTopic(LearnerTopology.entityTopic(topics, kind), partitions, (short) -1)
                        .configs(APPEND_TIME));
            }
        }
        return wanted;
    }

    /**
     * The cluster the topics are on, as {@link #ensureTopics} found it.
     *
     * @param id the cluster's id (the state directory remembers it: see {@code StateDirectoryOwner})
     * @param partitions the partitions of each topic the embedders read (raw-items and the by-entity topics),
     *     as the broker has them
     */
    public record Cluster(String id, Map<String, Integer> partitions) {}

    /** Creates what is missing and checks the rest. */
    public static Cluster ensureTopics(Settings settings, ItemKinds kinds) {
        Topics topics = Topics.from(settings);
        List<NewTopic> wanted = wanted(settings, kinds);
        try (Admin admin = Admin.create(KafkaClients.config(settings.kafkaClientProperties(),
                Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000)))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            List<String> singles = kinds.all().stream().map(k -> topics.train(k.name())).toList();
            List<String> embedded = new ArrayList<>(List.of(topics.rawItems()));
            kinds.all().stream().filter(k -> k.entityHistory().isPresent())
                    .forEach(k -> embedded.add(LearnerTopology.entityTopic(topics, k)));
            List<String> checked = new ArrayList<>(singles);
            checked.add(topics.models());
            checked.addAll(embedded);
            Map<String, TopicDescription> described = TopicDescriptions.describeOnceKnown(admin, checked,
                    DESCRIBE_TIMEOUT, Duration.ofMillis(100), notYet -> { });
            for (String name : singles) {
                int n = described.get(name).partitions().size();
                if (n != 1) {
                    throw new IllegalStateException("topic " + name + " has " + n + " partitions; a kind's train topic"
                            + " must have exactly 1 so that exactly one trainer runs");
                }
            }
            warnIfRetentionCanDeleteUnread(admin, embedded.get(0));
            Map<String, Integer> partitions = new java.util.LinkedHashMap<>();
            embedded.forEach(name -> partitions.put(name, described.get(name).partitions().size()));
            return new Cluster(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS), partitions);
        } catch (ExecutionException e) {
            AuthenticationFailure.rethrowIfAny(e, settings.kafkaClientProperties());
            throw new IllegalStateException("cannot set up topics on " + settings.get(Settings.BOOTSTRAP_SERVERS)
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no Kafka broker answered at " + settings.get(Settings.BOOTSTRAP_SERVERS)
                    + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up topics", e);
        }
    }

    /**
     * Warns when the input topic (perhaps made by someone else) deletes records by their producers'
     * timestamps: records stamped with old event times are then deleted before the app reads them. The loss
     * itself is detected and counted as it happens ({@code GapReportingConsumer}); this says so up front.
     */
    private static void warnIfRetentionCanDeleteUnread(Admin admin, String topic)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        String type = value(config, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
        long retention = Long.parseLong(value(config, TopicConfig.RETENTION_MS_CONFIG, "-1"));
        if (!"CreateTime".equals(type) || retention < 0) {
            return;
        }
        LOG.warn("topic {} deletes records {} after their producer's timestamp (retention.ms={}, "
                + "message.timestamp.type=CreateTime): a producer that stamps records with their event time "
                + "(a replay of history) has them deleted before this app reads them. `produce` stamps the time of "
                + "sending; for other producers set message.timestamp.type=LogAppendTime on the topic. Records "
                + "deleted before they were read are counted (streamcl.input.gap.records) and logged.",
                topic, Duration.ofMillis(retention), retention);
    }

    private static String value(Config config, String name, String otherwise) {
        var entry = config.get(name);
        return entry == null || entry.value() == null ? otherwise : entry.value();
    }
}
