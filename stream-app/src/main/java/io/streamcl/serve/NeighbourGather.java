package io.streamcl.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcl.index.Neighbour;
import io.streamcl.topology.FeedQueries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scatter-gather: asks every instance that holds embeddings (this one directly, the others by
 * {@code POST /internal/neighbours} at their advertised address) for its k nearest of one version, and merges
 * them into the k nearest overall. An answer is all or nothing: when an instance fails, is on another version, or
 * the partitions answered for do not cover the topic, the caller gets a 503 saying why, never a partial list.
 */
final class NeighbourGather {
    static final String PART_PATH = "/internal/neighbours";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The merged answer of {@code /neighbours} and {@code /recommend}. */
    record Answer(long version, List<Neighbour> neighbours) {}

    private final OwnerForwarding forwarding;

    NeighbourGather(OwnerForwarding forwarding) {
        this.forwarding = forwarding;
    }

    Reply gather(NeighbourView view, NeighbourQuery q, String authorization) {
        List<FeedQueries.Server> servers = view.servers();
        if (servers.isEmpty()) {
            return Reply.error(503, "no instance holds embeddings yet (the group is settling); try again");
        }
        Set<Integer> expected = new TreeSet<>();
        Set<Integer> answered = new TreeSet<>();
        List<Neighbour> all = new ArrayList<>();
        for (FeedQueries.Server server : servers) {
            expected.addAll(server.partitions());
            Reply reply = server.self() ? LocalNeighbours.answer(view, q)
                    : forwarding.post(server.host(), PART_PATH, body(q), authorization);
            if (reply.status() != 200) {
                return Reply.error(reply.status() == 400 ? 400 : 503, (server.self() ? "this instance"
                        : "the instance at " + server.host().host() + ":" + server.host().port()) + ": "
                        + errorOf(reply));
            }
            JsonNode part = read(reply.body());
            if (part.path("version").asLong(-1) != q.version()) {
                return Reply.error(503, "an instance answered from version " + part.path("version")
                        + " instead of " + q.version() + "; try again");
            }
            part.path("partitions").forEach(p -> answered.add(p.asInt()));
            for (JsonNode n : part.path("neighbours")) {
                all.add(new Neighbour(n.path("id").asText(), n.path("score").asDouble(), n.path("version").asLong()));
            }
        }
        if (!answered.containsAll(expected)) {
            Set<Integer> missing = new TreeSet<>(expected);
            missing.removeAll(answered);
            return Reply.error(503, "partitions " + missing + " of the embeddings are not indexed yet; try again");
        }
        all.sort(Comparator.comparingDouble(Neighbour::score).reversed().thenComparing(Neighbour::id));
        return Reply.json(200, new Answer(q.version(), List.copyOf(all.subList(0, Math.min(q.k(), all.size())))));
    }

    static String body(NeighbourQuery q) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("vector", q.vector());
        body.put("k", q.k());
        body.put("kind", q.kind());
        body.put("version", q.version());
        body.put("exclude", q.exclude());
        try {
            return MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }

    private static String errorOf(Reply reply) {
        JsonNode error = read(reply.body()).path("error");
        return error.isMissingNode() ? "HTTP " + reply.status() : error.asText();
    }
}
