package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.ingest.RawItems;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.testing.JarProcesses;
import io.streamcl.testing.SmallLearner;
import io.streamcl.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poison pills, as separate processes: good images, then 3,000 damaged records (truncated,
 * bit-flipped, random, empty, null, repeated, an unknown schema, event times far ahead and long ago, record
 * timestamps far ahead), then good images again. The learner keeps running, every good id is embedded, and
 * the records it decoded plus its dead letters are the records sent.
 */
@Timeout(value = 420)
class PoisonPillIT {
    private static final int GOOD = 750;
    private static final int DAMAGED = 3000;

    @TempDir
    Path tmp;

    @Test
    void damagedRecordsAreDeadLettersAndNeverStopAPartition() throws Exception {
        Path jar = JarProcesses.shadedJar();
        assertThat(jar).as("the shaded jar (run mvn package first)").isRegularFile();
        try (JarProcesses procs = new JarProcesses(jar, tmp)) {
            try {
                String bootstrap = procs.startBroker();
                String[] run = SmallLearner.imageRun(bootstrap, tmp.resolve("state"));
                Process learner = procs.start("run", run);
                procs.awaitLine(learner, java.util.regex.Pattern.compile("(learner started)"), Duration.ofSeconds(90));

                procs.produceImages(bootstrap, "before-", GOOD, "produce-before");
                int sentDamaged = sendDamaged(bootstrap);
                procs.produceImages(bootstrap, "after-", GOOD, "produce-after");
                long sent = 2L * GOOD + sentDamaged;

                Set<String> good = new HashSet<>();
                IntStream.range(0, GOOD).forEach(i -> {
                    good.add("before-" + i);
                    good.add("after-" + i);
                });
                List<ConsumerRecord<String, io.streamcl.schema.Embedding>> embedded = TopicReader.readUntil(bootstrap,
                        "embeddings", AvroSerde.of(io.streamcl.schema.Embedding.class).deserializer(),
                        got -> got.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(good),
                        Duration.ofSeconds(240));
                Set<String> ids = embedded.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
                assertThat(ids).as("every good id embedded").containsAll(good);

                List<ConsumerRecord<String, byte[]>> decoded = TopicReader.readUntil(bootstrap, "train-image",
                        new ByteArrayDeserializer(), got -> true, Duration.ofSeconds(30));
                List<ConsumerRecord<String, byte[]>> letters = TopicReader.readUntil(bootstrap, "raw-items-dlq",
                        new ByteArrayDeserializer(), got -> got.size() + decoded.size() >= sent, Duration.ofSeconds(60));
                System.out.printf("[PoisonPillIT] sent %d (%d good, %d damaged): decoded %d, dead letters %d, ids"
                        + " embedded %d%n", sent, 2 * GOOD, sentDamaged, decoded.size(), letters.size(), ids.size());
                assertThat(decoded.size() + letters.size()).as("decoded + dead letters").isEqualTo(sent);
                assertThat(letters.size()).isGreaterThan(DAMAGED / 2);
                // a good id is sent once, so it is published once per version (a damaged record may repeat an id)
                assertThat(TopicReader.repeatedPairs(bootstrap, "embeddings")).filteredOn(pair -> good.contains(
                        pair.substring(0, pair.lastIndexOf("@v")))).isEmpty();
                assertThat(learner.isAlive()).isTrue();
                assertThat(SmallLearner.threadsReplaced(procs.output(learner))).isZero();
            } catch (Throwable t) {
                procs.printOutputs();
                throw t;
            }
        }
    }

    /** The damaged records, written as any producer could; returns how many. */
    private static int sendDamaged(String bootstrap) {
        AvroSerde<RawItem> serde = AvroSerde.of(RawItem.class);
        Random random = new Random(12);
        long now = System.currentTimeMillis();
        long tenDays = Duration.ofDays(10).toMillis();
        int n = 0;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < DAMAGED; i++) {
                byte[] pixels = new byte[28 * 28];
                random.nextBytes(pixels);
                String id = "damaged-" + i;
                long eventTime = switch (i % 4) {
                    case 0 -> now + tenDays; // ahead: a dead letter
                    case 1 -> now - 20 * 365 * 86_400_000L; // long ago: fine
                    default -> now;
                };
                byte[] valid = serde.encode(RawItems.image(id, eventTime, RawItems.rawU8(28, 28, 1, pixels)));
                byte[] value = switch (i % 7) {
                    case 0 -> Arrays.copyOf(valid, random.nextInt(valid.length)); // truncated
                    case 1 -> flip(valid, random); // bit-flipped: some still decode
                    case 2 -> randomBytes(random);
                    case 3 -> new byte[0];
                    case 4 -> null; // a tombstone
                    case 5 -> unknownSchema(valid);
                    default -> valid; // whole (a repeat of a good image, or stamped ahead)
                };
                // some producers stamp records with their event time: the topic keeps append time
                Long timestamp = i % 5 == 0 ? Long.valueOf(now + tenDays) : i % 5 == 1 ? Long.valueOf(1_000L) : null;
                p.send(new ProducerRecord<>("raw-items", null, timestamp, id.getBytes(StandardCharsets.UTF_8), value));
                n++;
            }
            p.flush();
        }
        return n;
    }

    private static byte[] flip(byte[] valid, Random random) {
        byte[] b = valid.clone();
        for (int k = 0; k < 1 + random.nextInt(8); k++) {
            int bit = random.nextInt(b.length * 8);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return b;
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(2000)];
        random.nextBytes(b);
        return b;
    }

    private static byte[] unknownSchema(byte[] valid) {
        byte[] b = valid.clone();
        for (int k = 2; k < 10; k++) {
            b[k] = (byte) ~b[k];
        }
        return b;
    }
}
