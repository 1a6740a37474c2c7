package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.EmbeddingStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingStatusesTest {

    @Test
    void aVersionShouldBeCompleteForEveryKindOfEmbeddingItsModelMakesOnlyWhenAllPartitionsAgree() {
        List<EmbeddingStatus> markers = List.of(
                marker("event", List.of("item", "user"), 4, 0, 2), marker("event", List.of("item", "user"), 4, 1, 2),
                marker("image", List.of(), 7, 0, 3), marker("image", List.of(), 8, 1, 3), // a backfill under way
                marker("image", List.of(), 7, 2, 3),
                marker("sentence", List.of("sentence"), 2, 0, 2)); // partition 1 has said nothing yet
        assertThat(EmbeddingStatuses.completeByEmbeddingKind(markers))
                .containsOnlyKeys("item", "user").containsEntry("item", 4L).containsEntry("user", 4L);
        assertThat(EmbeddingStatuses.completeByEmbeddingKind(List.of(marker("image", List.of(), 3, 0, 1))))
                .containsEntry("image", 3L); // no embedding kinds listed (an older marker): the model's kind
    }

    private static EmbeddingStatus marker(String kind, List<String> embeddingKinds, long version, int partition,
            int partitions) {
        return EmbeddingStatus.newBuilder().setKind(kind).setEmbeddingKinds(embeddingKinds).setModelName(kind + "-moco")
                .setVersion(version).setPartition(partition).setPartitions(partitions).setItems(10)
                .setTime(Instant.ofEpochMilli(1)).build();
    }
}
