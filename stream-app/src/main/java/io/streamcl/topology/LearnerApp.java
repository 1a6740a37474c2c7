package io.streamcl.topology;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.streamcl.learn.ComputeDevice;
import io.streamcl.config.Settings;
import io.streamcl.kind.ItemKinds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.WallclockTimestampExtractor;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running application: topics checked, topology built, Kafka Streams started. */
public final class LearnerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LearnerApp.class);

    private final KafkaStreams streams;
    private final PipelineMetrics metrics;
    private final ComputeDevice device;
    private final FeedQueries queries;
    private KafkaStreamsMetrics clientMetrics;

    private LearnerApp(KafkaStreams streams, PipelineMetrics metrics, ComputeDevice device, FeedQueries queries) {
        this.streams = streams;
        this.metrics = metrics;
        this.device = device;
        this.queries = queries;
    }

    /** Runs the standard kinds the settings enable. */
    public static LearnerApp start(Settings settings, PipelineMetrics metrics) {
        return start(settings, ItemKinds.fromSettings(settings), metrics);
    }

    /** Runs these kinds (a registry's {@code enabled}), e.g. with one registered beside the standard ones. */
    public static LearnerApp start(Settings settings, ItemKinds kinds, PipelineMetrics metrics) {
        return start(settings, kinds, metrics, Optional.empty());
    }

    /**
     * Runs these kinds; with an endpoint, also keeps {@link LatestEmbeddings} and advertises the endpoint to the
     * other instances ({@code application.server}), so that {@link #queries()} can answer or route any lookup.
     *
     * @param endpoint where this instance's HTTP server answers, as the other instances can reach it
     */
    public static LearnerApp start(Settings settings, ItemKinds kinds, PipelineMetrics metrics,
            Optional<HostInfo> endpoint) {
        return start(settings, kinds, metrics, endpoint, EmbeddingUpdates.NONE);
    }

    /**
     * The same, with {@code updates} told of every embedding {@link LatestEmbeddings} stores (with an endpoint
     * only).
     */
    public static LearnerApp start(Settings settings, ItemKinds kinds, PipelineMetrics metrics,
            Optional<HostInfo> endpoint, EmbeddingUpdates updates) {
        ComputeDevice device = ComputeDevice.resolve(settings.get(Settings.DEVICE));
        TopicSetup.Cluster cluster = TopicSetup.ensureTopics(settings, kinds);
        if (settings.get(Settings.REEMBED_RECENT) > 0) {
            LOG.warn("reembed.recent-items is deprecated and ignored: every embed task re-embeds its whole catalogue"
                    + " under each served version (catalogue.max-items bounds it)");
        }
        RefusedRecords refused = new RefusedRecords();
        Properties config = streamsConfig(settings, metrics, refused);
        Path appState = Path.of(settings.get(Settings.STATE_DIR), settings.get(Settings.APPLICATION_ID));
        GroupInstanceId member = GroupInstanceId.of(appState);
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), member.id());
        Topology topology = LearnerTopology.buildTopology(settings, kinds, metrics, device, cluster.partitions(),
                refused);
        endpoint.ifPresent(e -> {
            LatestEmbeddings.addTo(topology, Topics.from(settings), updates);
            config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, e.host() + ":" + e.port());
        });
        KafkaStreams streams = new KafkaStreams(topology, config, new LearnerClients(metrics));
        wipeStateOfAnotherCluster(appState, cluster.id(), streams);
        member.keepIn(appState); // a wipe may have taken it
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            metrics.threadReplaced();
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
        LOG.info("learner started: application.id={} member={} bootstrap={} device={} guarantee={}",
                settings.get(Settings.APPLICATION_ID), member.id(), settings.get(Settings.BOOTSTRAP_SERVERS), device,
                settings.get(Settings.PROCESSING_GUARANTEE));
        return new LearnerApp(streams, metrics, device, endpoint.map(e -> new FeedQueries(streams, e,
                Topics.from(settings).embeddings())).orElse(null));
    }

    /** See {@link StateDirectoryOwner}. */
    private static void wipeStateOfAnotherCluster(Path appState, String cluster, KafkaStreams streams) {
        Optional<String> recorded = StateDirectoryOwner.recorded(appState);
        if (recorded.isPresent() && !recorded.get().equals(cluster)) {
            LOG.warn("the state directory {} was left by another Kafka cluster ({}; this one is {}): wiping it, the"
                    + " app restores its state from this cluster's topics", appState, recorded.get(), cluster);
            streams.cleanUp();
        }
        StateDirectoryOwner.record(appState, cluster);
    }

    /**
     * Kafka Streams' configuration, with what the error handlers count on and remember.
     *
     * @param refused the keys whose records the broker refused, shared with the topology's decode step
     */
    public static Properties streamsConfig(Settings s, PipelineMetrics metrics, RefusedRecords refused) {
        Properties p = new Properties();
        p.put(DeadLetterOnRefusal.REFUSED, refused);
        p.put(DeadLetterOnRefusal.METRICS, metrics);
        p.put(DeadLetterOnRefusal.TOPIC, s.get(Settings.TOPIC_DEAD_LETTERS));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.get(Settings.APPLICATION_ID));
        p.putAll(s.kafkaClientProperties()); // bootstrap and security, for every client Kafka Streams makes
        p.put(StreamsConfig.STATE_DIR_CONFIG, s.get(Settings.STATE_DIR));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, s.get(Settings.PROCESSING_GUARANTEE));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.get(Settings.STREAM_THREADS));
        // only our own topics (models, train-*) are read with Avro deserializers; raw-items are bytes
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUndecodable.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnRefusal.class);
        // a record's time is when it was read: a producer's timestamp, years old or far ahead, never reaches a
        // record the app writes (the broker would delete or refuse it); event time lives in the Avro record
        p.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, WallclockTimestampExtractor.class);
        p.put("processing.exception.handler.global.enabled", true);
        // a trainer's tick may hold a transaction for a second or two: leave ample room
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 60_000);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), TopicSetup.MAX_MESSAGE_BYTES);
        // a snapshot is one record of up to 64 MiB (34 MB of parameters for the default sentence encoder, see
        // DefaultCheckpointSizeTest): the producer's buffer must hold one whole beside the others' records. It is
        // on the heap: a producer that has more waiting for the broker blocks its stream thread instead
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), 2L * TopicSetup.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), TopicSetup.MAX_MESSAGE_BYTES);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), TopicSetup.MAX_MESSAGE_BYTES);
        return p;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public ComputeDevice device() {
        return device;
    }

    /** Interactive queries of the stores, when the app was started with an endpoint. */
    public Optional<FeedQueries> queries() {
        return Optional.ofNullable(queries);
    }

    /** Publishes Kafka Streams' own client metrics (threads, tasks, stores, its consumers and producers) there. */
    public synchronized void bindClientMetrics(MeterRegistry registry) {
        if (clientMetrics == null) {
            clientMetrics = new KafkaStreamsMetrics(streams);
            clientMetrics.bindTo(registry);
        }
    }

    @Override
    public synchronized void close() {
        // a static member stays in the group when it closes unless told to leave; leaving hands its tasks to the
        // other instances now rather than when its session times out
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        if (clientMetrics != null) {
            clientMetrics.close();
        }
    }
}
