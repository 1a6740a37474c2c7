package io.streamcl.serve;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * {@code GET /ready}: 200 only when Kafka Streams is RUNNING and every kind serves a model (a version on the
 * models topic that embedders load), else 503 with the first reason it is not. A probe may route traffic on it.
 */
final class Readiness {
    private Readiness() {}

    static Reply check(LearnerView learner) {
        KafkaStreams.State state = learner.state();
        if (state != KafkaStreams.State.RUNNING) {
            return notReady(state, "Kafka Streams is " + state + ", not RUNNING");
        }
        if (learner.kinds().isEmpty()) {
            return notReady(state, "the learner has no kinds");
        }
        Map<String, Long> served = new LinkedHashMap<>();
        for (String kind : learner.kinds()) {
            try {
                Long version = learner.servedVersion(kind).orElse(null);
                if (version == null) {
                    return notReady(state, "no model is served for kind " + kind + " yet");
                }
                served.put(kind, version);
            } catch (InvalidStateStoreException e) {
                return notReady(state, "the models store is not queryable yet: " + e.getMessage());
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", true);
        body.put("state", state.name());
        body.put("served", served);
        return Reply.json(200, body);
    }

    private static Reply notReady(KafkaStreams.State state, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", false);
        body.put("state", state.name());
        body.put("error", reason);
        return Reply.json(503, body);
    }
}
