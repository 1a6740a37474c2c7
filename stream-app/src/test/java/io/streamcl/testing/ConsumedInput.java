package io.streamcl.testing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a consumer group has committed offsets at the end of a topic. Under exactly-once the offsets
 * commit in the same transaction as what the records produced, so by then everything made from the topic's
 * records (dead letters included) is on its topic, committed.
 */
public final class ConsumedInput {
    private ConsumedInput() {}

    /** @throws AssertionError if the group has not consumed the whole topic within the timeout */
    public static void await(String bootstrap, String group, String topic, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> lag = Map.of();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (System.nanoTime() < deadline) {
                lag = lag(admin, group, topic);
                if (!lag.isEmpty() && lag.values().stream().allMatch(l -> l == 0)) {
                    return;
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("group " + group + " has not consumed " + topic + " within " + timeout + "; lag " + lag);
    }

    /** Records of each partition the group has not committed yet. */
    private static Map<TopicPartition, Long> lag(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, Long> ends = admin.listOffsets(admin.describeTopics(java.util.List.of(topic))
                        .allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().stream()
                        .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest())))
                .all().get(10, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> {
            OffsetAndMetadata c = committed.get(e.getKey());
            return e.getValue() - (c == null ? 0 : c.offset());
        }));
    }
}
