package io.streamcl.testing;

import io.streamcl.config.Settings;
import io.streamcl.kind.ItemKinds;
import io.streamcl.learn.ComputeDevice;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.topology.LearnerApp;
import io.streamcl.topology.LearnerTopology;
import io.streamcl.topology.PipelineMetrics;
import io.streamcl.topology.RefusedRecords;
import io.streamcl.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The learner's topology under TopologyTestDriver: real Serdes, the production topic names, training on the CPU in
 * the stream thread, by the driver's clock.
 */
public final class DrivenTopology implements AutoCloseable {
    public final PipelineMetrics metrics = new PipelineMetrics();
    public final TopologyTestDriver driver;
    public final TestInputTopic<byte[], byte[]> raw;
    public final TestOutputTopic<String, DeadLetter> deadLetters;
    public final TestOutputTopic<String, Embedding> embeddings;
    public final TestOutputTopic<String, ModelSnapshot> models;
    private final AvroSerde<RawItem> rawSerde = AvroSerde.of(RawItem.class);

    public DrivenTopology(Settings settings, ItemKinds kinds, Path stateDir) {
        Properties props = LearnerApp.streamsConfig(settings, metrics, new RefusedRecords());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // trainers train in the stream thread, so the driver's clock decides when, as in LearnerTopologyTest
        driver = new TopologyTestDriver(LearnerTopology.buildTopology(settings, kinds, metrics, ComputeDevice.cpu(),
                Map.of(), new RefusedRecords(), true), props);
        Topics topics = Topics.from(settings);
        raw = driver.createInputTopic(topics.rawItems(), new ByteArraySerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), new StringDeserializer(),
                AvroSerde.of(DeadLetter.class).deserializer());
        embeddings = driver.createOutputTopic(topics.embeddings(), new StringDeserializer(),
                AvroSerde.of(Embedding.class).deserializer());
        models = driver.createOutputTopic(topics.models(), new StringDeserializer(),
                AvroSerde.of(ModelSnapshot.class).deserializer());
    }

    /** Sends an item to raw-items under its id. */
    public void pipe(RawItem item) {
        raw.pipeInput(item.getId().getBytes(StandardCharsets.UTF_8), rawSerde.encode(item));
    }

    @Override
    public void close() {
        driver.close();
    }
}
