package io.streamcl.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * What every Kafka client of the app is made from: the connection properties of {@link Settings#kafkaClientProperties()}
 * (where the cluster is, and how to reach it securely) plus the client's own tuning.
 */
public final class KafkaClients {
    private KafkaClients() {}

    /** The connection properties with a client's own settings added; the connection wins nothing it does not hold. */
    public static Map<String, Object> config(Map<String, Object> connection, Map<String, Object> own) {
        Map<String, Object> config = new HashMap<>(own);
        config.putAll(connection);
        return config;
    }

    /** {@code bootstrap.servers}, for messages: the one connection property that is safe to show. */
    public static String bootstrap(Map<String, Object> connection) {
        return String.valueOf(connection.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }
}
