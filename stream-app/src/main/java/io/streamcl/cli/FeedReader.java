package io.streamcl.cli;

import io.streamcl.eval.ExportedEmbedding;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.serde.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the embeddings topic as a consumer would: the newest embedding per id, optionally until converged. */
final class FeedReader {
    private FeedReader() {}

    /**
     * What was read.
     *
     * @param complete whether the wait ended because its conditions held (else it timed out)
     * @param missing with {@code converged}, what was still missing at the last check
     */
    record Feed(Map<String, ExportedEmbedding> latest, boolean complete, List<String> missing) {}

    /**
     * @param kind only embeddings of this Embedding.kind; null: all
     * @param converged also wait for {@link FeedConvergence}'s conditions
     */
    static Feed read(Map<String, Object> connection, String topic, String modelsTopic, String statusTopic, String kind, int waitFor,
            boolean converged, Duration timeout) {
        Map<String, ExportedEmbedding> latest = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        AvroSerde<Embedding> serde = AvroSerde.of(Embedding.class);
        try (FeedConvergence feed = converged ? new FeedConvergence(connection, modelsTopic, statusTopic) : null) {
            long[] lastCheck = {0};
            boolean complete = TopicScan.scan(connection, topic, serde.deserializer(), timeout, r -> {
                Embedding e = r.value();
                if (kind == null || kind.equals(e.getKind())) {
                    latest.put(e.getId(), ExportCommand.toExported(e));
                }
            }, () -> {
                if (latest.size() < waitFor) {
                    return false;
                }
                if (feed == null) {
                    return true;
                }
                if (System.nanoTime() - lastCheck[0] < 1_000_000_000L) { // at most once a second
                    return false;
                }
                lastCheck[0] = System.nanoTime();
                missing.clear();
                missing.addAll(feed.missing(latest.values()));
                return missing.isEmpty();
            });
            return new Feed(latest, complete, missing);
        }
    }
}
