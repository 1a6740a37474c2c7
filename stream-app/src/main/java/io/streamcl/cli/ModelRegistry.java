package io.streamcl.cli;

import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.topology.ModelSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The models topic as a registry, read whole: every snapshot a trainer published (its candidates), the
 * versions the gate promoted, and the version pinned by hand, per kind.
 */
final class ModelRegistry {
    /** Per kind, by version: a version published again (confirmed as caught up) keeps its newest record. */
    private final Map<String, TreeMap<Long, ModelSnapshot>> candidates = new TreeMap<>();
    private final Map<String, String> kindByModelName = new HashMap<>();
    private final Map<String, List<ModelSnapshot>> promotions = new HashMap<>();
    private final Map<String, ModelSnapshot> pinned = new HashMap<>();

    ModelRegistry() {}

    /** @param kind only this kind; null: all */
    static ModelRegistry read(Map<String, Object> connection, String topic, String kind) {
        ModelRegistry r = new ModelRegistry();
        scan(connection, topic, kind, r, x -> true, Duration.ofSeconds(30));
        return r;
    }

    /**
     * As {@link #read}, for records still to come: reads on until the registry holds what {@code until} asks for.
     *
     * @return empty if it did not within the timeout
     */
    static Optional<ModelRegistry> readUntil(Map<String, Object> connection, String topic, String kind,
            Predicate<ModelRegistry> until, Duration timeout) {
        ModelRegistry r = new ModelRegistry();
        return scan(connection, topic, kind, r, until, timeout) ? Optional.of(r) : Optional.empty();
    }

    private static boolean scan(Map<String, Object> connection, String topic, String kind, ModelRegistry r,
            Predicate<ModelRegistry> until, Duration timeout) {
        return TopicScan.scanWithTombstones(connection, topic, AvroSerde.of(ModelSnapshot.class).deserializer(), timeout,
                rec -> r.add(rec.key(), rec.value(), kind), () -> until.test(r));
    }

    /** Takes one record of the topic, in order; {@code s} null is a tombstone. */
    void add(String key, ModelSnapshot s, String kind) {
        if (key == null) {
            return;
        }
        if (key.endsWith(ModelSnapshots.pinnedKey(""))) {
            String k = key.substring(0, key.length() - ModelSnapshots.pinnedKey("").length());
            if (kind == null || kind.equals(k)) {
                if (s == null) {
                    pinned.remove(k);
                } else {
                    pinned.put(k, s);
                }
            }
            return;
        }
        if (s == null || (kind != null && !kind.equals(s.getKind()))) {
            return;
        }
        if (ModelSnapshots.isCandidateKey(key)) {
            candidates.computeIfAbsent(s.getKind(), k -> new TreeMap<>()).put(s.getVersion(), s);
            kindByModelName.put(s.getName(), s.getKind());
        } else {
            promotions.computeIfAbsent(s.getKind(), k -> new ArrayList<>()).add(s);
        }
    }

    /** Every snapshot still on the topic, by kind and version. */
    List<ModelSnapshot> candidates() {
        return candidates.values().stream().flatMap(v -> v.values().stream()).toList();
    }

    /** The gate's promotions of a kind still on the topic, oldest first. */
    List<ModelSnapshot> promotions(String kind) {
        List<ModelSnapshot> out = new ArrayList<>(promotions.getOrDefault(kind, List.of()));
        out.sort(Comparator.comparingLong(ModelSnapshot::getVersion));
        return out;
    }

    Optional<ModelSnapshot> pinned(String kind) {
        return Optional.ofNullable(pinned.get(kind));
    }

    /** What the kind's embedders serve: the pinned version, else the gate's newest promotion. */
    Optional<ModelSnapshot> served(String kind) {
        List<ModelSnapshot> p = promotions(kind);
        return pinned(kind).or(() -> p.isEmpty() ? Optional.empty() : Optional.of(p.get(p.size() - 1)));
    }

    Optional<ModelSnapshot> candidate(String kind, long version) {
        return Optional.ofNullable(candidates.getOrDefault(kind, new TreeMap<>()).get(version));
    }

    Optional<ModelSnapshot> newest(String kind) {
        TreeMap<Long, ModelSnapshot> versions = candidates.get(kind);
        return versions == null || versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /**
     * The newest of a kind's snapshots that passed the promotion gate. A trainer keeps it as its candidate until
     * it is promoted, even when a newer one is refused, so it is what the kind will serve next.
     */
    Optional<ModelSnapshot> newestPassed(String kind) {
        TreeMap<Long, ModelSnapshot> versions = candidates.getOrDefault(kind, new TreeMap<>());
        return versions.descendingMap().values().stream()
                .filter(s -> s.getGate() != null && s.getGate().startsWith("passed")).findFirst();
    }

    /** The kind whose model has this name (as an Embedding's model info carries it). */
    Optional<String> kindOfModel(String name) {
        return Optional.ofNullable(kindByModelName.get(name));
    }

    List<String> kinds() {
        return List.copyOf(candidates.keySet());
    }
}
