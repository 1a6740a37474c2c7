package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** The models store's Serde: one decode per stored array, and readers that cannot disturb one another. */
class DecodedOncePerArrayTest {
    private final AvroSerde<ModelSnapshot> avro = AvroSerde.ofLarge(ModelSnapshot.class);
    private final AtomicInteger decodes = new AtomicInteger();
    private final Serde<ModelSnapshot> counted = Serdes.serdeFrom(avro.serializer(), (topic, bytes) -> {
        decodes.incrementAndGet();
        return avro.deserializer().deserialize(topic, bytes);
    });
    private final Deserializer<ModelSnapshot> reads = new DecodedOncePerArray<>(counted).deserializer();

    @Test
    void shouldDecodeAStoredArrayOnceHoweverOftenItIsRead() {
        byte[] stored = avro.encode(snapshot(3, new byte[] {1, 2, 3, 4}));
        for (int i = 0; i < 5; i++) {
            ModelSnapshot read = reads.deserialize("models", stored);
            assertThat(read.getVersion()).isEqualTo(3);
            assertThat(ModelSnapshots.parameters(read)).containsExactly(1, 2, 3, 4);
        }
        assertThat(decodes).hasValue(1);
    }

    @Test
    void shouldDecodeANewArrayAgainEvenWithTheSameBytes() {
        byte[] stored = avro.encode(snapshot(3, new byte[] {1, 2}));
        reads.deserialize("models", stored);
        ModelSnapshot replaced = reads.deserialize("models", avro.encode(snapshot(4, new byte[] {5, 6})));
        reads.deserialize("models", stored.clone());
        assertThat(replaced.getVersion()).isEqualTo(4);
        assertThat(decodes).hasValue(3);
    }

    @Test
    void shouldGiveEachReadItsOwnBufferPosition() {
        byte[] stored = avro.encode(snapshot(3, new byte[] {1, 2, 3, 4}));
        ModelSnapshot first = reads.deserialize("models", stored);
        ModelSnapshot second = reads.deserialize("models", stored);
        assertThat(first).isNotSameAs(second).isEqualTo(second);
        ByteBuffer moved = first.getParameters();
        moved.get(new byte[3]); // as Avro's deep copy does, for a moment
        assertThat(second.getParameters().remaining()).isEqualTo(4);
        assertThat(ModelSnapshots.parameters(reads.deserialize("models", stored))).containsExactly(1, 2, 3, 4);
    }

    @Test
    void shouldReadNothingAsNothing() {
        assertThat(reads.deserialize("models", null)).isNull();
        assertThat(decodes).hasValue(0);
    }

    private static ModelSnapshot snapshot(long version, byte[] parameters) {
        return ModelSnapshots.of("sentence", "sentence-simclr", version, 10 * version, Map.of("type", "text"),
                parameters, Map.of("loss", 1.0));
    }
}
