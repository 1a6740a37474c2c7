package io.streamcl.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The Kafka client settings that the app passes through, unchanged, to every producer, consumer, admin client
 * and Kafka Streams instance it makes: {@code security.protocol}, {@code sasl.*} and {@code ssl.*}.
 *
 * <p>Kafka's own definitions of the producer, consumer and admin configs decide which of those names exist, how
 * a value is parsed and checked, and which values are secrets (type PASSWORD: {@code sasl.jaas.config},
 * {@code ssl.key.password}, {@code ssl.keystore.password}, ...), so a typo is caught at start rather than
 * ignored by a client, and nothing here restates Kafka's rules.
 */
public final class KafkaClientSecurity {
    /** How a secret is shown: the way Kafka's own config logging shows a PASSWORD. */
    public static final String MASK = "[hidden]";

    /** Every name that passes through, with its definition, sorted. */
    private static final Map<String, ConfigDef.ConfigKey> KEYS = passThroughKeys();

    /** Every client config name Kafka knows, to tell "not passed through" from "no such setting". */
    private static final Set<String> CLIENT_NAMES = Stream.of(ProducerConfig.configNames(),
            ConsumerConfig.configNames(), AdminClientConfig.configNames()).flatMap(Set::stream)
            .collect(Collectors.toUnmodifiableSet());

    private KafkaClientSecurity() {}

    /** Whether {@code name} is a pass-through setting. */
    public static boolean passesThrough(String name) {
        return KEYS.containsKey(name);
    }

    /** Every pass-through name, sorted. */
    public static Set<String> names() {
        return KEYS.keySet();
    }

    /** Why Kafka would refuse {@code value} for a pass-through {@code name}; null when it accepts it. */
    public static String problem(String name, String value) {
        ConfigDef.ConfigKey key = KEYS.get(name);
        try {
            Object parsed = ConfigDef.parseType(name, value, key.type);
            if (key.validator != null) {
                key.validator.ensureValid(name, parsed);
            }
            return null;
        } catch (ConfigException e) {
            return isSecret(name) ? "is not a valid " + key.type.name().toLowerCase(Locale.ROOT) : e.getMessage();
        }
    }

    /**
     * Whether a value must never be shown: Kafka's PASSWORD type, and, belt and braces, any name that says
     * password, the JAAS config (it holds the password) and the private key settings ({@code ssl.key*}).
     */
    public static boolean isSecret(String name) {
        ConfigDef.ConfigKey key = KEYS.get(name);
        return (key != null && key.type == ConfigDef.Type.PASSWORD) || name.contains("password")
                || name.equals("sasl.jaas.config") || name.startsWith("ssl.key");
    }

    /** The value as it may be shown: secrets as {@link #MASK}. */
    public static String shown(String name, String value) {
        return isSecret(name) ? MASK : value;
    }

    /** Why an unknown name is refused, for a Kafka client setting that does not pass through; else "". */
    static String notPassedThrough(String name) {
        return CLIENT_NAMES.contains(name) ? "; of Kafka's client settings only " + CommonClientConfigs
                .SECURITY_PROTOCOL_CONFIG + ", sasl.* and ssl.* are passed through" : "";
    }

    private static Map<String, ConfigDef.ConfigKey> passThroughKeys() {
        Map<String, ConfigDef.ConfigKey> keys = new TreeMap<>();
        for (ConfigDef def : new ConfigDef[] {ProducerConfig.configDef(), ConsumerConfig.configDef(),
                AdminClientConfig.configDef()}) {
            def.configKeys().forEach((name, key) -> {
                if (name.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || name.startsWith("sasl.")
                        || name.startsWith("ssl.")) {
                    keys.putIfAbsent(name, key);
                }
            });
        }
        return java.util.Collections.unmodifiableMap(keys);
    }
}
