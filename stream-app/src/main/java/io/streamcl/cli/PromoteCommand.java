package io.streamcl.cli;

import io.streamcl.config.KafkaClients;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.topology.ModelSnapshots;
import io.streamcl.topology.TopicSetup;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Pins a kind's served version by hand (a rollback, or a version someone checked), or hands serving back
 * to the promotion gate. Every embedder re-embeds its catalogue under the version that is then served.
 */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Pin the version a kind serves (--version V: embedders re-embed everything under it and the"
                + " gate promotes nothing while it is pinned), or hand serving back to the gate (--auto).")
public final class PromoteCommand implements Callable<Integer> {
    @Mixin
    RegistryOptions where;

    @Option(names = "--kind", required = true, completionCandidates = KindChoices.Kinds.class,
            description = "${COMPLETION-CANDIDATES}")
    String kind;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--version", paramLabel = "V", description = "pin this version (it must be on the topic)")
        Long version;

        @Option(names = "--auto", description = "unpin: the gate's newest promotion is served again")
        boolean auto;
    }

    @Override
    public Integer call() throws InterruptedException {
        ModelRegistry registry = where.read(kind);
        ModelSnapshot pinned = null;
        if (!target.auto) {
            Optional<ModelSnapshot> s = registry.candidate(kind, target.version);
            if (s.isEmpty()) {
                System.err.printf("%s v%d is not on %s; versions there: %s%n", kind, target.version, where.topic,
                        registry.candidates().stream().map(x -> "v" + x.getVersion()).toList());
                return 1;
            }
            pinned = s.get();
        }
        try {
            writePin(where.connection(), where.topic, kind, pinned, "pinned by hand with promote");
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("cannot write to " + where.topic + " at " + where.bootstrap() + ": " + e.getMessage());
            return 1;
        }
        if (target.auto) {
            System.out.printf("%s: serving handed back to the promotion gate (%s)%n", kind,
                    registry.promotions(kind).isEmpty() ? "it has promoted nothing yet"
                            : "its newest promotion is v" + registry.promotions(kind)
                                    .get(registry.promotions(kind).size() - 1).getVersion());
        } else {
            System.out.printf("%s: v%d pinned; embedders re-embed their catalogues under it, and the gate promotes"
                    + " nothing until `promote --kind %s --auto`%n", kind, target.version, kind);
        }
        return 0;
    }

    /**
     * Writes a kind's pin to the models topic: a promoted copy of {@code snapshot} under the pinned key, or,
     * for null, a tombstone there, which hands serving back to the gate. Also what {@code bench} pins with.
     */
    static void writePin(Map<String, Object> connection, String topic, String kind, ModelSnapshot snapshot, String reason)
            throws InterruptedException, ExecutionException, TimeoutException {
        byte[] value = snapshot == null ? null : AvroSerde.ofLarge(ModelSnapshot.class).encode(
                ModelSnapshots.promoted(snapshot, "pinned", reason, Instant.now()));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.config(connection, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSetup.MAX_MESSAGE_BYTES)),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, ModelSnapshots.pinnedKey(kind), value)).get(30, TimeUnit.SECONDS);
        }
    }
}
