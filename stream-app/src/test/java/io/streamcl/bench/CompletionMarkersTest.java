package io.streamcl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.EmbeddingStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionMarkersTest {
    private static final Instant PIN = Instant.parse("2024-01-01T00:00:10Z");

    private static EmbeddingStatus marker(int partition, long version, Instant time, long items) {
        return EmbeddingStatus.newBuilder().setKind("image").setEmbeddingKinds(List.of("image")).setModelName("m")
                .setVersion(version).setPartition(partition).setPartitions(2).setItems(items).setTime(time).build();
    }

    @Test
    void aVersionShouldBeCompleteOnlyWhenEveryPartitionMarkedItSinceThePin() {
        CompletionMarkers markers = new CompletionMarkers();
        assertThat(markers.complete("image", 0, PIN)).as("no markers yet").isFalse();
        markers.add(marker(0, 0, PIN.minusSeconds(5), 10)); // v0's first backfill, before the pin
        markers.add(marker(1, 0, PIN.minusSeconds(5), 10));
        assertThat(markers.complete("image", 0, Instant.EPOCH)).isTrue();
        assertThat(markers.complete("image", 0, PIN)).as("markers from before the pin").isFalse();
        markers.add(marker(0, 0, PIN.plusSeconds(1), 12));
        assertThat(markers.complete("image", 0, PIN)).as("partition 1 not marked since").isFalse();
        markers.add(marker(1, 3, PIN.plusSeconds(2), 11));
        assertThat(markers.complete("image", 0, PIN)).as("partition 1 on another version").isFalse();
        markers.add(marker(1, 0, PIN.plusSeconds(3), 11));
        assertThat(markers.complete("image", 0, PIN)).isTrue();
        assertThat(markers.complete("sentence", 0, PIN)).isFalse();
        assertThat(markers.items("image")).isEqualTo(23);
    }
}
