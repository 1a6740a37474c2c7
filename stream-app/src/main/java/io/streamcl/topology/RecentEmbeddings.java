package io.streamcl.topology;

import io.streamcl.ingest.RawItems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded sample of what the embed path publishes, per embedding kind: the ids of the newest items that
 * arrived (at most {@code perKind} of each kind), each with its {@link RawItems#LABEL_ATTRIBUTE} attribute when
 * it carried one, and its newest vector with the version that made it. A backfill re-embeds the sampled ids like
 * every other catalogue entry, so the sample moves to each newly served version with the feed. It is what the
 * dashboard projects; embed tasks on every stream thread write it and HTTP threads read it, hence the locking
 * (one short map operation per item, and a copy of a vector only for a sampled id).
 */
public final class RecentEmbeddings {
    /** How many ids of each kind the pipeline keeps: enough for a scatter, a few hundred KB per kind. */
    public static final int DEFAULT_PER_KIND = 512;
    /** A label is shown in a legend: a longer one (a producer's mistake or worse) is cut, never stored whole. */
    static final int MAX_LABEL_CHARS = 64;

    /** One sampled id with its newest vector; {@code label} is null when the item carried none. */
    public record Sampled(String id, String label, long version, float[] vector) {}

    private static final class Slot {
        final String label;
        long version = -1;
        float[] vector;

        Slot(String label) {
            this.label = label;
        }
    }

    private final int perKind;
    /** Per embedding kind (a fixed few: the kinds' own names), ids in order of arrival, oldest first. */
    private final Map<String, LinkedHashMap<String, Slot>> byKind = new HashMap<>();

    public RecentEmbeddings(int perKind) {
        if (perKind < 1) {
            throw new IllegalArgumentException("a sample keeps at least one id per kind, not " + perKind);
        }
        this.perKind = perKind;
    }

    /** An item arrived to be embedded as {@code id}: it joins the sample as its newest, the oldest leaves. */
    public synchronized void arrived(String embeddingKind, String id, String label) {
        LinkedHashMap<String, Slot> ids = byKind.computeIfAbsent(embeddingKind, k -> new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Slot> eldest) {
                return size() > perKind;
            }
        });
        Slot old = ids.remove(id); // sent again: newest now, and its last vector stands until it is re-embedded
        Slot slot = new Slot(label == null || label.isBlank() ? null : cut(label));
        if (old != null) {
            slot.version = old.version;
            slot.vector = old.vector;
        }
        ids.put(id, slot);
    }

    /** A vector was published for {@code id}; kept when the id is in the sample. */
    public synchronized void published(String embeddingKind, String id, long version, float[] vector) {
        LinkedHashMap<String, Slot> ids = byKind.get(embeddingKind);
        Slot slot = ids == null ? null : ids.get(id);
        if (slot != null) {
            slot.version = version;
            slot.vector = vector.clone();
        }
    }

    /** The embedding kinds sampled so far. */
    public synchronized List<String> kinds() {
        return List.copyOf(byKind.keySet());
    }

    /**
     * The sampled ids of a kind that have a vector, oldest arrival first: a copy of the list, sharing the
     * vectors, which are never written after they are stored (a newer one replaces them).
     */
    public synchronized List<Sampled> embedded(String embeddingKind) {
        LinkedHashMap<String, Slot> ids = byKind.get(embeddingKind);
        if (ids == null) {
            return List.of();
        }
        List<Sampled> out = new ArrayList<>(ids.size());
        ids.forEach((id, s) -> {
            if (s.vector != null) {
                out.add(new Sampled(id, s.label, s.version, s.vector));
            }
        });
        return out;
    }

    private static String cut(String label) {
        String stripped = label.strip();
        return stripped.length() <= MAX_LABEL_CHARS ? stripped : stripped.substring(0, MAX_LABEL_CHARS) + "…";
    }
}
