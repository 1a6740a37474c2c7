package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelInfo;
import io.streamcl.schema.serde.AvroSerde;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class LatestEmbeddingsTest {

    @Test
    void shouldKeepTheLastEmbeddingOfEachIdAndForgetATombstonedOne() {
        Topics topics = new Topics("raw", "dlq", "models", "embeddings", "status", "train-");
        Topology topology = new Topology();
        LatestEmbeddings.addTo(topology, topics);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "latest-embeddings-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config)) {
            TestInputTopic<String, Embedding> feed = driver.createInputTopic("embeddings", Serdes.String().serializer(),
                    AvroSerde.of(Embedding.class).serializer());
            feed.pipeInput("a", embedding("a", 1, 0.5f));
            feed.pipeInput("b", embedding("b", 1, 0.25f));
            feed.pipeInput("a", embedding("a", 2, -0.5f));
            feed.pipeInput("b", null);

            KeyValueStore<String, Embedding> store = driver.getKeyValueStore(LatestEmbeddings.STORE);
            assertThat(store.get("a").getModel().getVersion()).isEqualTo(2);
            assertThat(store.get("a").getVector()).containsExactly(-0.5f);
            assertThat(store.get("b")).isNull();
            try (var all = store.all()) {
                assertThat(all).toIterable().extracting(kv -> kv.key).containsExactly("a");
            }
        }
    }

    private static Embedding embedding(String id, long version, float x) {
        return Embedding.newBuilder().setId(id).setKind("image").setVector(List.of(x)).setDim(1)
                .setModel(ModelInfo.newBuilder().setName("image-moco").setVersion(version).setStep(version * 10).build())
                .setEventTime(Instant.ofEpochMilli(1)).setProducedTime(Instant.ofEpochMilli(2)).build();
    }
}
