package io.streamcl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.index.Neighbour;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The feeder, step by step, on stores made of maps: partitions come and go, updates flow, versions complete. */
class IndexFeederTest {
    private final Map<Integer, Map<String, Embedding>> stores = new HashMap<>();
    private final Set<Integer> local = new HashSet<>();
    private final Map<String, Long> complete = new HashMap<>();
    private final IndexedFeed feed = new IndexedFeed() {
        @Override
        public Set<Integer> localPartitions() {
            return Set.copyOf(local);
        }

        @Override
        public void forEachEmbedding(int partition, BiConsumer<String, Embedding> action) {
            stores.getOrDefault(partition, Map.of()).forEach(action);
        }

        @Override
        public Map<String, Long> completeVersions() {
            return Map.copyOf(complete);
        }
    };

    @Test
    void shouldFollowPartitionsUpdatesAndCompletedVersions() {
        EmbeddingUpdateQueue updates = new EmbeddingUpdateQueue(100);
        try (NeighbourIndexes indexes = new NeighbourIndexes()) {
            IndexFeeder feeder = new IndexFeeder(feed, updates, indexes, Duration.ofSeconds(1));
            stores.put(0, new HashMap<>(Map.of("image:a", embedding("image:a", 1, 1, 0))));
            stores.put(1, new HashMap<>(Map.of("image:b", embedding("image:b", 1, 0, 1))));
            local.addAll(Set.of(0, 1));
            feeder.step();
            assertThat(indexes.complete("image")).isEmpty(); // nothing is complete yet
            complete.put("image", 1L);
            feeder.step();
            assertThat(indexes.complete("image").orElseThrow().size()).isEqualTo(2);
            assertThat(indexes.covered()).containsExactly(0, 1);

            updates.updated(0, "image:c", embedding("image:c", 1, 1, 0.1f));
            updates.updated(1, "image:b", embedding("image:b", 2, 1, 0)); // a backfill under version 2 starts
            updates.updated(0, "image:bad", embedding("image:bad", 1, 0, 0)); // refused, not a crash
            feeder.step();
            List<Neighbour> v1 = indexes.complete("image").orElseThrow().nearest(new float[] {1, 0}, 5, Set.of());
            assertThat(v1).extracting(Neighbour::id).containsExactly("image:a", "image:c", "image:b");
            assertThat(v1).allMatch(n -> n.version() == 1);

            local.remove(1); // partition 1 moved to another instance
            updates.updated(0, "image:a", null); // and image:a was removed
            feeder.step();
            assertThat(indexes.complete("image").orElseThrow().nearest(new float[] {1, 0}, 5, Set.of()))
                    .extracting(Neighbour::id).containsExactly("image:c");
            assertThat(indexes.covered()).containsExactly(0);

            updates.updated(0, "image:c", embedding("image:c", 2, 0, 1));
            complete.put("image", 2L);
            feeder.step();
            assertThat(indexes.complete("image").orElseThrow().version()).isEqualTo(2);
            assertThat(indexes.complete("image").orElseThrow().nearest(new float[] {1, 0}, 5, Set.of()))
                    .extracting(Neighbour::id).containsExactly("image:c"); // b's v2 left with partition 1
        }
    }

    @Test
    void shouldReadTheStoresAgainWhenUpdatesWereDropped() {
        EmbeddingUpdateQueue updates = new EmbeddingUpdateQueue(1);
        try (NeighbourIndexes indexes = new NeighbourIndexes()) {
            IndexFeeder feeder = new IndexFeeder(feed, updates, indexes, Duration.ofSeconds(1));
            local.add(0);
            stores.put(0, new HashMap<>());
            complete.put("image", 1L);
            feeder.step();
            for (String id : List.of("image:a", "image:b", "image:c")) {
                Embedding e = embedding(id, 1, 1, id.charAt(6));
                stores.get(0).put(id, e);
                updates.updated(0, id, e); // the queue holds one
            }
            feeder.step();
            assertThat(indexes.complete("image").orElseThrow().size()).isEqualTo(3);
        }
    }

    private static Embedding embedding(String id, long version, float... vector) {
        List<Float> v = new java.util.ArrayList<>();
        for (float x : vector) {
            v.add(x);
        }
        return Embedding.newBuilder().setId(id).setKind("image").setVector(v).setDim(v.size())
                .setModel(ModelInfo.newBuilder().setName("image-moco").setVersion(version).setStep(10).build())
                .setEventTime(Instant.ofEpochMilli(1)).setProducedTime(Instant.ofEpochMilli(2)).build();
    }
}
