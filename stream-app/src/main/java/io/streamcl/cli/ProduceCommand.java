package io.streamcl.cli;

import io.streamcl.ingest.RawItemProducer;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Loads a file of raw items and produces them to raw-items. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Produce raw items from a file to the raw-items topic (ids are <id-prefix><index>, index from 0).",
                "Events are replayed in time order, ids <id-prefix><user>:<timestamp ms>:<index>, each user's on one"
                        + " partition."})
public final class ProduceCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = "raw-items", description = "default: ${DEFAULT-VALUE}")
    String topic;

    @Mixin
    ItemSource source;

    @Override
    public Integer call() {
        String problem = source.problem();
        if (problem == null) {
            problem = missingTopic();
        }
        if (problem != null) {
            System.err.println(problem);
            return 2;
        }
        long start = System.nanoTime();
        long[] skipped = {0};
        long sent = 0;
        try (RawItemProducer producer = new RawItemProducer(bootstrapServers, topic);
                Stream<RawItem> items = source.items(bad -> {
                    skipped[0]++;
                    System.err.println("skipped " + bad);
                })) {
            for (Iterator<RawItem> it = items.iterator(); it.hasNext(); ) {
                producer.send(it.next());
                sent++;
            }
            producer.flush();
            System.out.printf("produced %d %s items to %s (%d acknowledged, %d failed, %d skipped) in %.1f s%n",
                    sent, source.kind, topic, producer.acked(), producer.failed(), skipped[0],
                    (System.nanoTime() - start) / 1e9);
            if (producer.failed() > 0) {
                System.err.println("first send error: " + producer.firstError());
                return 1;
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot read " + source.describe() + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** Null when the topic exists, else what to do about it (the broker does not auto-create topics). */
    private String missingTopic() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                return null;
            }
            return "topic " + topic + " does not exist on " + bootstrapServers
                    + ": start the learner first (`run` creates its topics)";
        } catch (Exception e) {
            return "no Kafka broker answered at " + bootstrapServers + ": " + e;
        }
    }
}
