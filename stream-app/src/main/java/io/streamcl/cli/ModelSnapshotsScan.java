package io.streamcl.cli;

import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.serde.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Every snapshot still on the models topic (compaction keeps at least the newest per kind), oldest first. */
final class ModelSnapshotsScan {
    private ModelSnapshotsScan() {}

    static List<ModelSnapshot> all(String bootstrapServers, String topic, String kind) {
        List<ModelSnapshot> out = new ArrayList<>();
        TopicScan.scan(bootstrapServers, topic, AvroSerde.of(ModelSnapshot.class).deserializer(),
                Duration.ofSeconds(30), r -> {
                    if (r.value() != null && (kind == null || kind.equals(r.value().getKind()))) {
                        out.add(r.value());
                    }
                }, () -> true);
        out.sort(Comparator.comparing(ModelSnapshot::getKind).thenComparingLong(ModelSnapshot::getVersion));
        return out;
    }
}
