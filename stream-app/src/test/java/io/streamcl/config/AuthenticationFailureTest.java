package io.streamcl.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class AuthenticationFailureTest {
    private static final Map<String, Object> SCRAM = Map.of("bootstrap.servers", "127.0.0.1:9093",
            "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\""
                    + " password=\"wrong-secret\";");

    @Test
    void shouldNameTheUserAndTheBootstrapOfARefusedLoginButNotThePassword() {
        ExecutionException refused = new ExecutionException(new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"));

        assertThat(AuthenticationFailure.in(refused, SCRAM)).get().extracting(Throwable::getMessage).asString()
                .startsWith("authentication failed for user alice at bootstrap 127.0.0.1:9093 (SASL_SSL) with"
                        + " SCRAM-SHA-512: Authentication failed")
                .doesNotContain("wrong-secret");
    }

    @Test
    void shouldTellAFailedTlsHandshakeFromARefusedLogin() {
        assertThat(AuthenticationFailure.in(new SslAuthenticationException("SSL handshake failed"), SCRAM)).get()
                .extracting(Throwable::getMessage).asString()
                .startsWith("TLS handshake failed at bootstrap 127.0.0.1:9093 (SASL_SSL): SSL handshake failed");
    }

    @Test
    void shouldFindNothingInOtherFailures() {
        assertThat(AuthenticationFailure.in(new ExecutionException(new TimeoutException("no broker")), SCRAM)).isEmpty();
        AuthenticationFailure.rethrowIfAny(new TimeoutException("no broker"), SCRAM); // returns
    }
}
