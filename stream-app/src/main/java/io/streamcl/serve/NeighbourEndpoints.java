package io.streamcl.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.streamcl.index.VersionIndex;
import io.streamcl.kind.EventKind;
import io.streamcl.topology.FeedQueries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /neighbours?id=&k=&kind=}, {@code POST /neighbours} with {@code {"vector", "k", "kind"}} and
 * {@code GET /recommend?user=&k=}: the k nearest by cosine among the embeddings of one kind's newest complete
 * version, gathered from every instance ({@link NeighbourGather}). A search by id is answered by the instance that
 * holds the id (it has the id's vector of that version; others forward to it), the id itself left out. A
 * recommendation is the items nearest to the user's embedding, the items in the user's history left out. Also the
 * two calls instances make of each other: {@code POST /internal/neighbours} and {@code GET /internal/seen}.
 */
final class NeighbourEndpoints {
    static final int DEFAULT_K = 10;
    static final int MAX_K = 1000;
    /** Longer vectors are refused before any index is asked. */
    static final int MAX_DIMENSION = 4096;
    static final String SEEN_PATH = "/internal/seen";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AtomicReference<NeighbourView> view = new AtomicReference<>(NeighbourView.STARTING);
    private final OwnerForwarding forwarding;
    private final NeighbourGather gather;

    NeighbourEndpoints(OwnerForwarding forwarding) {
        this.forwarding = forwarding;
        this.gather = new NeighbourGather(forwarding);
    }

    void attach(NeighbourView v) {
        view.set(v);
    }

    void register(RoutesConfig routes) {
        routes.get("/neighbours", ctx -> LearnerServer.send(ctx, byId(ctx.queryParam("id"), ctx.queryParam("kind"),
                ctx.queryParam("k"), forwarded(ctx), ctx.queryString(), ctx.header("Authorization"))));
        routes.post("/neighbours", ctx -> LearnerServer.send(ctx, byVector(ctx.body(), ctx.header("Authorization"))));
        routes.get("/recommend", ctx -> LearnerServer.send(ctx, recommend(ctx.queryParam("user"), ctx.queryParam("k"),
                forwarded(ctx), ctx.queryString(), ctx.header("Authorization"))));
        routes.post(NeighbourGather.PART_PATH, ctx -> LearnerServer.send(ctx, part(ctx.body())));
        routes.get(SEEN_PATH, ctx -> LearnerServer.send(ctx, seen(ctx.queryParam("user"))));
    }

    private static boolean forwarded(Context ctx) {
        return ctx.header(OwnerForwarding.FORWARDED) != null;
    }

    Reply byId(String id, String kind, String kParam, boolean forwarded, String query, String authorization) {
        if (id == null || id.isBlank()) {
            return Reply.error(400, "say which id: /neighbours?id=ID&k=10");
        }
        if (id.length() > EmbeddingLookup.MAX_ID_LENGTH) {
            return Reply.error(400, "an id is at most " + EmbeddingLookup.MAX_ID_LENGTH + " characters");
        }
        NeighbourView v = view.get();
        Reply bad = checkK(kParam);
        if (bad == null && kind != null) {
            bad = checkKind(v, kind);
        }
        if (bad != null) {
            return bad;
        }
        Optional<Reply> elsewhere = atOwner(v.ownerOf(id), forwarded, "/neighbours?" + query, authorization);
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        Optional<Source> source = vectorOf(v, id);
        if (source.isEmpty()) {
            List<String> complete = v.kinds().stream().filter(k -> v.index(k).isPresent()).sorted().toList();
            if (complete.isEmpty() || (kind != null && !complete.contains(kind))) {
                return Reply.error(503, "no complete version of " + (kind == null ? "any kind" : "kind " + kind)
                        + " yet (the feed is still being embedded); try again");
            }
            return Reply.error(404, "no embedding of id '" + id + "' in the complete versions of " + complete);
        }
        String target = kind == null ? source.get().kind() : kind;
        Optional<VersionIndex> index = v.index(target);
        if (index.isEmpty()) {
            return Reply.error(503, "kind " + target + " has no complete version yet; try again");
        }
        VersionIndex s = source.get().index();
        if (!s.model().isEmpty() && !index.get().model().isEmpty() && !s.model().equals(index.get().model())) {
            return Reply.error(400, "id '" + id + "' is a " + source.get().kind() + " made by " + s.model() + "; "
                    + target + "s are made by " + index.get().model() + ": their vectors cannot be compared");
        }
        if (s.version() != index.get().version()) {
            return Reply.error(503, "kinds " + source.get().kind() + " and " + target + " are between versions; try again");
        }
        return gather.gather(v, new NeighbourQuery(source.get().vector(), k(kParam), target, s.version(), List.of(id)),
                authorization);
    }

    Reply byVector(String body, String authorization) {
        JsonNode json;
        try {
            json = MAPPER.readTree(body == null ? "" : body);
        } catch (IOException e) {
            return Reply.error(400, "the body is not JSON: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            return Reply.error(400, "send {\"vector\": [...], \"k\": 10, \"kind\": \"...\"}");
        }
        NeighbourView v = view.get();
        JsonNode k = json.path("k");
        Reply bad = k.isMissingNode() || k.isNull() ? null : k.canConvertToInt() && k.isIntegralNumber()
                ? checkK(Integer.toString(k.asInt())) : Reply.error(400, "k must be a whole number from 1 to " + MAX_K);
        if (bad != null) {
            return bad;
        }
        float[] vector;
        try {
            vector = vector(json.path("vector"));
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        if (v.kinds().isEmpty()) {
            return Reply.error(503, "the learner is starting; try again");
        }
        String kind = json.path("kind").isTextual() ? json.path("kind").asText() : null;
        if (kind == null) { // needed only when the app makes more than one kind of embedding
            if (v.kinds().size() != 1) {
                return Reply.error(400, "say which kind of embedding to search: one of " + new TreeSet<>(v.kinds()));
            }
            kind = v.kinds().iterator().next();
        }
        Reply badKind = checkKind(v, kind);
        if (badKind != null) {
            return badKind;
        }
        Optional<VersionIndex> index = v.index(kind);
        if (index.isEmpty()) {
            return Reply.error(503, "kind " + kind + " has no complete version yet; try again");
        }
        int dimension = index.get().dimension();
        if (dimension > 0 && vector.length != dimension) {
            return Reply.error(400, "the vector has " + vector.length + " numbers; " + kind + " embeddings have "
                    + dimension);
        }
        return gather.gather(v, new NeighbourQuery(vector, k.isIntegralNumber() ? k.asInt() : DEFAULT_K, kind,
                index.get().version(), List.of()), authorization);
    }

    Reply recommend(String user, String kParam, boolean forwarded, String query, String authorization) {
        if (user == null || user.isBlank()) {
            return Reply.error(400, "say which user: /recommend?user=U&k=10");
        }
        if (user.length() > EmbeddingLookup.MAX_ID_LENGTH) {
            return Reply.error(400, "a user id is at most " + EmbeddingLookup.MAX_ID_LENGTH + " characters");
        }
        NeighbourView v = view.get();
        Reply bad = checkK(kParam);
        if (bad != null) {
            return bad;
        }
        if (!v.kinds().contains(EventKind.USER) || !v.kinds().contains(EventKind.ITEM)) {
            return Reply.error(v.kinds().isEmpty() ? 503 : 400, v.kinds().isEmpty() ? "the learner is starting; try"
                    + " again" : "recommendations need users and items (kinds=event); this app makes "
                    + new TreeSet<>(v.kinds()));
        }
        String userKey = EventKind.userKey(user);
        Optional<Reply> elsewhere = atOwner(v.ownerOf(userKey), forwarded, "/recommend?" + query, authorization);
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        Optional<VersionIndex> users = v.index(EventKind.USER);
        Optional<VersionIndex> items = v.index(EventKind.ITEM);
        if (users.isEmpty() || items.isEmpty()) {
            return Reply.error(503, "users and items have no complete version yet; try again");
        }
        if (users.get().version() != items.get().version()) {
            return Reply.error(503, "users and items are between versions; try again");
        }
        Optional<float[]> vector = users.get().vector(userKey);
        if (vector.isEmpty()) {
            return Reply.error(404, "no embedding of user '" + user + "' in version " + users.get().version());
        }
        Optional<List<String>> seen = seenBy(v, user, authorization);
        if (seen.isEmpty()) {
            return Reply.error(503, "the history of user '" + user + "' cannot be read just now (a rebalance); try"
                    + " again");
        }
        return gather.gather(v, new NeighbourQuery(vector.get(), k(kParam), EventKind.ITEM, items.get().version(),
                seen.get()), authorization);
    }

    /** The user's seen items, from the instance that holds the history; empty when none can say. */
    private Optional<List<String>> seenBy(NeighbourView v, String user, String authorization) {
        FeedQueries.Owner owner = v.ownerOfHistory(user);
        try {
            if (owner instanceof FeedQueries.Owner.Here here) {
                return Optional.of(v.seen(user, here.partition()));
            }
        } catch (RuntimeException e) { // the store is restored or moves
            return Optional.empty();
        }
        if (owner instanceof FeedQueries.Owner.There there) {
            Reply r = forwarding.get(there.host(), SEEN_PATH + "?user=" + EmbeddingLookup.encode(user), authorization);
            if (r.status() != 200) {
                return Optional.empty();
            }
            try {
                List<String> items = new ArrayList<>();
                MAPPER.readTree(r.body()).path("items").forEach(i -> items.add(i.asText()));
                return Optional.of(items);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    Reply part(String body) {
        try {
            JsonNode json = MAPPER.readTree(body);
            List<String> exclude = new ArrayList<>();
            json.path("exclude").forEach(e -> exclude.add(e.asText()));
            return LocalNeighbours.answer(view.get(), new NeighbourQuery(vector(json.path("vector")),
                    json.path("k").asInt(DEFAULT_K), json.path("kind").asText(), json.path("version").asLong(),
                    exclude));
        } catch (IOException | IllegalArgumentException e) {
            return Reply.error(400, "not a neighbour query: " + e.getMessage());
        }
    }

    Reply seen(String user) {
        if (user == null) {
            return Reply.error(400, "say which user");
        }
        NeighbourView v = view.get();
        if (v.ownerOfHistory(user) instanceof FeedQueries.Owner.Here here) {
            try {
                return Reply.json(200, Map.of("user", user, "items", v.seen(user, here.partition())));
            } catch (RuntimeException e) {
                return Reply.error(503, "the history store is being restored or moved: " + e.getMessage());
            }
        }
        return Reply.error(503, "this instance does not hold the history of user '" + user + "' (a rebalance)");
    }

    /** Empty when the request is for this instance; else the owner's answer, or why there is none. */
    private Optional<Reply> atOwner(FeedQueries.Owner owner, boolean forwarded, String pathAndQuery,
            String authorization) {
        if (owner instanceof FeedQueries.Owner.Unknown u) {
            return Optional.of(Reply.error(503, u.reason() + "; try again"));
        }
        if (owner instanceof FeedQueries.Owner.There there) {
            if (forwarded) {
                return Optional.of(Reply.error(503, "forwarded here, but " + there.host() + " holds this id now (a"
                        + " rebalance); try again"));
            }
            return Optional.of(forwarding.get(there.host(), pathAndQuery, authorization));
        }
        return Optional.empty();
    }

    /** An id's vector from the index of its own kind, with that kind. */
    private record Source(String kind, VersionIndex index, float[] vector) {}

    private static Optional<Source> vectorOf(NeighbourView v, String id) {
        for (String kind : new TreeSet<>(v.kinds())) {
            Optional<VersionIndex> index = v.index(kind);
            Optional<float[]> vector = index.flatMap(i -> i.vector(id));
            if (vector.isPresent()) {
                return Optional.of(new Source(kind, index.get(), vector.get()));
            }
        }
        return Optional.empty();
    }

    private static Reply checkK(String k) {
        if (k == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(k.strip());
            if (n >= 1 && n <= MAX_K) {
                return null;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        return Reply.error(400, "k must be a whole number from 1 to " + MAX_K + ", not '" + k + "'");
    }

    private static int k(String k) {
        return k == null ? DEFAULT_K : Integer.parseInt(k.strip());
    }

    private static Reply checkKind(NeighbourView v, String kind) {
        if (v.kinds().isEmpty()) {
            return Reply.error(503, "the learner is starting; try again");
        }
        return v.kinds().contains(kind) ? null
                : Reply.error(400, "no kind of embedding '" + kind + "'; this app makes " + new TreeSet<>(v.kinds()));
    }

    private static float[] vector(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("vector must be a non-empty array of numbers");
        }
        if (node.size() > MAX_DIMENSION) {
            throw new IllegalArgumentException("a vector is at most " + MAX_DIMENSION + " numbers");
        }
        float[] v = new float[node.size()];
        boolean nonZero = false;
        for (int i = 0; i < v.length; i++) {
            JsonNode x = node.get(i);
            if (!x.isNumber() || !Float.isFinite((float) x.asDouble())) {
                throw new IllegalArgumentException("vector[" + i + "] is not a finite number: " + x);
            }
            v[i] = (float) x.asDouble();
            nonZero |= v[i] != 0;
        }
        if (!nonZero) {
            throw new IllegalArgumentException("a zero vector has no direction to compare");
        }
        return v;
    }
}
