package io.streamcl.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * A Kafka client that cannot authenticate fails at once (Kafka does not retry a refused login); this turns that
 * failure into one line a user can act on: who could not log in, where, and Kafka's reason. It names the user of
 * {@code sasl.jaas.config} and never shows a secret.
 */
public final class AuthenticationFailure {
    private static final Pattern USERNAME = Pattern.compile("\\busername\\s*=\\s*\"?([^\"\\s;]*)");

    private AuthenticationFailure() {}

    /** The authentication failure among {@code error} and its causes, as a one-line exception; empty if none. */
    public static Optional<IllegalStateException> in(Throwable error, Map<String, Object> connection) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException auth) {
                return Optional.of(new IllegalStateException(describe(auth, connection), auth));
            }
        }
        return Optional.empty();
    }

    /** Throws the authentication failure among {@code error}'s causes, if there is one; else returns. */
    public static void rethrowIfAny(Throwable error, Map<String, Object> connection) {
        Optional<IllegalStateException> failure = in(error, connection);
        if (failure.isPresent()) {
            throw failure.get();
        }
    }

    private static String describe(AuthenticationException e, Map<String, Object> connection) {
        String where = " at bootstrap " + KafkaClients.bootstrap(connection) + " ("
                + connection.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT") + ")";
        if (e instanceof SslAuthenticationException) {
            return "TLS handshake failed" + where + ": " + e.getMessage()
                    + " (check ssl.truststore.* and the broker's certificate)";
        }
        return "authentication failed for user " + user(connection) + where + " with "
                + connection.getOrDefault(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM) + ": "
                + e.getMessage() + " (check sasl.jaas.config)";
    }

    private static String user(Map<String, Object> connection) {
        Object jaas = connection.get(SaslConfigs.SASL_JAAS_CONFIG);
        Matcher m = USERNAME.matcher(jaas == null ? "" : jaas.toString());
        return m.find() ? m.group(1) : "(none in sasl.jaas.config)";
    }
}
