package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamcl.cli.Main;
import io.streamcl.config.Settings;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.testing.InJvmLearner;
import io.streamcl.testing.KafkaBrokerExtension;
import io.streamcl.testing.KafkaBrokerExtension.Broker;
import io.streamcl.testing.TopicReader;
import io.streamcl.topology.LearnerApp;
import io.streamcl.topology.PipelineMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage on the models topic (it feeds a global store on every instance) on a real broker: the app skips
 * and counts it, keeps embedding with the version it has, and `models` and `export` still work.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 180)
class GarbageOnModelsIT {

    @TempDir
    Path tmp;

    private LearnerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void garbageSnapshotsAreSkippedAndTheFeedAndTheCommandsGoOn(Broker broker) throws Exception {
        Settings settings = InJvmLearner.settings(broker, tmp, "garbage-it");
        String bootstrap = broker.bootstrapServers();
        String models = settings.get(Settings.TOPIC_MODELS);
        PipelineMetrics metrics = new PipelineMetrics();
        app = LearnerApp.start(settings, metrics);
        InJvmLearner.produceImages(settings, "a-", 30);
        InJvmLearner.awaitEmbedded(settings, ids("a-", 30));

        ModelSnapshot v0 = TopicReader.readUntil(bootstrap, models, AvroSerde.of(ModelSnapshot.class).deserializer(),
                got -> true, Duration.ofSeconds(30)).stream().map(ConsumerRecord::value)
                .filter(s -> s != null && s.getVersion() == 0).findFirst().orElseThrow();
        byte[] parameters = new byte[v0.getParameters().remaining()];
        v0.getParameters().duplicate().get(parameters);
        ModelSnapshot truncated = ModelSnapshot.newBuilder(v0).setVersion(1_000)
                .setParameters(ByteBuffer.wrap(Arrays.copyOf(parameters, parameters.length / 2))).build();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(models, "image@served", "not a snapshot".getBytes(StandardCharsets.UTF_8)));
            p.send(new ProducerRecord<>(models, "image", new byte[0]));
            p.send(new ProducerRecord<>(models, "image", null));
            p.send(new ProducerRecord<>(models, "image@pinned", AvroSerde.of(ModelSnapshot.class).encode(truncated)));
            p.flush();
        }
        InJvmLearner.produceImages(settings, "b-", 30);
        InJvmLearner.awaitEmbedded(settings, ids("b-", 30));
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.snapshotsRejected("image") >= 1);
        System.out.printf("[GarbageOnModelsIT] undecodable records skipped %d, snapshots rejected %d, threads"
                + " replaced %d%n", metrics.undecodableRecords(models), metrics.snapshotsRejected("image"),
                metrics.threadsReplaced());
        assertThat(metrics.undecodableRecords(models)).as("the bytes that are no snapshot").isGreaterThanOrEqualTo(1);
        assertThat(metrics.threadsReplaced()).isZero();
        List<ConsumerRecord<String, Embedding>> feed = TopicReader.embeddings(bootstrap,
                settings.get(Settings.TOPIC_EMBEDDINGS));
        assertThat(feed).allSatisfy(r -> assertThat(r.value().getModel().getVersion()).isNotEqualTo(1_000L));

        assertThat(Main.execute("models", "--bootstrap-servers", bootstrap, "--topic", models)).isZero();
        assertThat(Main.execute("export", "--bootstrap-servers", bootstrap, "--topic",
                settings.get(Settings.TOPIC_EMBEDDINGS), "--out", tmp.resolve("feed.csv").toString(),
                "--wait-for", "60", "--timeout", "60")).isZero();
        assertThat(Files.readAllLines(tmp.resolve("feed.csv"))).hasSize(61);
    }

    private static Set<String> ids(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).collect(Collectors.toSet());
    }
}
