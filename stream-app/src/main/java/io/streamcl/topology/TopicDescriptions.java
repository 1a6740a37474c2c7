package io.streamcl.topology;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Describes topics, asking again while Kafka's answer means "not yet". A topic created a moment ago may not be
 * in the answering broker's metadata (UnknownTopicOrPartition: it stopped one bench run), a topic that another
 * process is about to create is not there at all, and a broker that is still starting does not answer (a
 * timeout). Kafka marks all of these retriable; anything else (no authorization, say) fails at once.
 */
public final class TopicDescriptions {
    /**
     * How long one describe call may take. Shorter than a wait, so that the wait can say early what it waits for
     * and ask again a broker that came up late; the admin client keeps its connection between calls.
     */
    private static final Duration ATTEMPT = Duration.ofSeconds(2);

    private TopicDescriptions() {}

    /**
     * Returns the descriptions (partitions included) once every topic is known, asking every {@code pollEvery}.
     * The last attempt may end up to 2 s after {@code timeout}; with a zero timeout there is exactly one attempt.
     *
     * @param onMiss told Kafka's reason after each answer "not yet"
     * @throws ExecutionException with the last "not yet" once {@code timeout} has passed, or at once with any
     *     other error
     */
    public static Map<String, TopicDescription> describeOnceKnown(Admin admin, Collection<String> names,
            Duration timeout, Duration pollEvery, Consumer<Throwable> onMiss)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        DescribeTopicsOptions options = new DescribeTopicsOptions().timeoutMs((int) ATTEMPT.toMillis());
        while (true) {
            try {
                // the call's own timeout comes first; this bound only guards against a call that never ends
                return admin.describeTopics(names, options).allTopicNames()
                        .get(ATTEMPT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                onMiss.accept(e.getCause());
            }
            Thread.sleep(pollEvery.toMillis());
        }
    }
}
