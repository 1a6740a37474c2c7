package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.kind.EventKind;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.testing.JarProcesses;
import io.streamcl.testing.SmallLearner;
import io.streamcl.testing.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ratings file in MovieLens' layout whose timestamps are 10 to 30 years old, produced and learned as
 * separate processes: every user and every item of the file gets an embedding, and nothing vanishes (time
 * retention once deleted such records before the app read them).
 */
@Timeout(value = 360)
class HistoricalEventsIT {
    private static final int USERS = 120;
    private static final int MOVIES = 200;
    private static final int RATINGS_PER_USER = 12;
    private static final Pattern PRODUCED = Pattern.compile("produced (\\d+) event items");

    @TempDir
    Path tmp;

    @Test
    void eventsFromDecadesAgoAreLearnedInFull() throws Exception {
        Path ratings = tmp.resolve("ratings.csv");
        Set<String> expected = writeRatings(ratings);
        Path jar = JarProcesses.shadedJar();
        assertThat(jar).as("the shaded jar (run mvn package first)").isRegularFile();
        try (JarProcesses procs = new JarProcesses(jar, tmp)) {
            try {
                String bootstrap = procs.startBroker();
                String[] run = SmallLearner.run(bootstrap, "state.dir=" + tmp.resolve("state"), "kinds=event",
                        "batch.size=32", "replay.capacity=128", "replay.updates-per-item=2", "event.vocab-size=4096",
                        "embedding.dim=32", "projection.dim=16", "bank.size=256", "batch.linger.ms=300",
                        "topic.partitions=2", "device=cpu");
                Process learner = procs.start("run", run);
                procs.awaitLine(learner, Pattern.compile("(learner started)"), Duration.ofSeconds(90));
                long producedAfter = System.currentTimeMillis();
                Process produce = procs.start("produce", "produce", "--bootstrap-servers", bootstrap, "--kind",
                        "event", "--format", "movielens", "--input", ratings.toString());
                procs.awaitSuccess(produce, Duration.ofSeconds(120));
                Matcher m = PRODUCED.matcher(procs.output(produce));
                assertThat(m.find()).isTrue();
                assertThat(Integer.parseInt(m.group(1))).isEqualTo(USERS * RATINGS_PER_USER);

                List<ConsumerRecord<String, Embedding>> embedded = TopicReader.readUntil(bootstrap, "embeddings",
                        AvroSerde.of(Embedding.class).deserializer(),
                        got -> got.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(expected),
                        Duration.ofSeconds(240));
                Set<String> keys = embedded.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
                List<ConsumerRecord<String, byte[]>> raw = TopicReader.readUntil(bootstrap, "raw-items",
                        new ByteArrayDeserializer(), got -> true, Duration.ofSeconds(30));
                List<ConsumerRecord<String, byte[]>> letters = TopicReader.readUntil(bootstrap, "raw-items-dlq",
                        new ByteArrayDeserializer(), got -> true, Duration.ofSeconds(10));
                System.out.printf("[HistoricalEventsIT] %d ratings of %d users and %d items (1996-2016): %d of %d"
                        + " users and items embedded, %d records on raw-items, %d dead letters%n",
                        USERS * RATINGS_PER_USER, USERS, expected.size() - USERS, keys.stream()
                                .filter(expected::contains).count(), expected.size(), raw.size(), letters.size());
                assertThat(keys).as("every user and item of the file").containsAll(expected);
                assertThat(raw).as("nothing deleted from raw-items").hasSize(USERS * RATINGS_PER_USER);
                assertThat(raw).as("records stamped when they were sent, not with their event time")
                        .allSatisfy(r -> assertThat(r.timestamp()).isGreaterThanOrEqualTo(producedAfter - 60_000));
                assertThat(embedded).allSatisfy(r -> assertThat(r.timestamp())
                        .isGreaterThanOrEqualTo(producedAfter - 60_000));
                assertThat(letters).isEmpty();
                // (a user is published again under the same version whenever their history grows: no pair check)
            } catch (Throwable t) {
                procs.printOutputs();
                throw t;
            }
        }
    }

    /** Users rating movies between 1996 and 2016, each user's ratings in time order; returns the keys to embed. */
    private static Set<String> writeRatings(Path file) throws java.io.IOException {
        Random random = new Random(1996);
        long from = Instant.parse("1996-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2016-12-31T00:00:00Z").getEpochSecond();
        List<String> lines = new ArrayList<>(List.of("userId,movieId,rating,timestamp"));
        Set<String> keys = new TreeSet<>();
        for (int u = 1; u <= USERS; u++) {
            long t = from + (long) (random.nextDouble() * (to - from - 86_400L * 400));
            keys.add(EventKind.userKey(Integer.toString(u)));
            for (int r = 0; r < RATINGS_PER_USER; r++) {
                int movie = 1 + random.nextInt(MOVIES);
                t += 60 + random.nextInt(86_400 * 30);
                lines.add(u + "," + movie + "," + (1 + random.nextInt(10)) / 2.0 + "," + t);
                keys.add(EventKind.itemKey(Integer.toString(movie)));
            }
        }
        Files.write(file, lines);
        return keys;
    }
}
