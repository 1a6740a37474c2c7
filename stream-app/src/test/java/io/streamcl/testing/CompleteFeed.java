package io.streamcl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.Embedding;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a fault test ends with, as a downstream reader (read_committed) sees the {@code embeddings} topic: every
 * id produced has an embedding, no other id has one, and no (id, model version) pair is published twice.
 */
public final class CompleteFeed {
    private CompleteFeed() {}

    /**
     * Waits up to {@code timeout} for an embedding of each id, then asserts the above.
     *
     * @return every embedding read, for the test to report on
     */
    public static List<ConsumerRecord<String, Embedding>> assertEveryIdEmbeddedOnce(String bootstrap, Set<String> ids,
            Duration timeout) {
        List<ConsumerRecord<String, Embedding>> embeddings =
                TopicReader.awaitEmbeddings(bootstrap, "embeddings", ids, timeout);
        Set<String> embedded = embeddings.stream().map(r -> r.value().getId().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(ids);
        missing.removeAll(embedded);
        assertThat(missing).as("ids produced but not embedded within %s", timeout).isEmpty();
        assertThat(embedded).as("embedded ids").isEqualTo(new TreeSet<>(ids));
        assertThat(TopicReader.repeatedPairs(embeddings)).as("(id, version) pairs published twice").isEmpty();
        return embeddings;
    }
}
