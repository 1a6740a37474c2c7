package io.streamcl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.testing.KafkaBrokerExtension.Broker;
import io.streamcl.testing.KafkaBrokerExtension.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class KafkaBrokerExtensionTest {

    private static final AtomicReference<Broker> FIRST = new AtomicReference<>();

    private final Broker fromConstructor;

    KafkaBrokerExtensionTest(Broker broker) {
        this.fromConstructor = broker;
    }

    @Test
    void shouldInjectOneSharedBrokerChosenByTheDocumentedOrder(Broker broker) {
        assertThat(broker).isSameAs(fromConstructor);
        FIRST.compareAndSet(null, broker);
        assertThat(broker).isSameAs(FIRST.get());

        boolean externalAsked = System.getProperty(KafkaBrokerExtension.BOOTSTRAP_PROPERTY) != null
                || System.getenv(KafkaBrokerExtension.BOOTSTRAP_ENV) != null;
        if (externalAsked && System.getProperty(KafkaBrokerExtension.MODE_PROPERTY) == null) {
            assertThat(broker.mode()).isEqualTo(Mode.EXTERNAL);
        }
        if (broker.mode() == Mode.EMBEDDED) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
        }
    }

    @Test
    void shouldCarryARecordOfSeveralMegabytes(Broker broker) throws Exception {
        FIRST.compareAndSet(null, broker);
        assertThat(broker).isSameAs(FIRST.get());

        String topic = "ext-" + UUID.randomUUID();
        byte[] payload = new byte[3 * 1024 * 1024]; // a model snapshot is ~1 MB and up
        payload[payload.length - 1] = 42;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024), new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, payload)).get();
        }
        List<byte[]> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> got.add(r.value()));
            }
        }
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).hasSize(payload.length).endsWith((byte) 42);
    }
}
