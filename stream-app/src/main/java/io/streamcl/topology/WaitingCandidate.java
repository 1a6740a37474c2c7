package io.streamcl.topology;

import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.serde.AvroCodec;
import java.io.InputStream;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A trainer's candidate that is not its newest snapshot: one that passed the gate and waits to be promoted
 * while a newer one was refused. The models store keeps only a kind's newest snapshot, so without this a
 * restarted trainer would lose the candidate, never promote it, and leave {@code export --converged} waiting
 * for it. Kept in the trainer's changelogged checkpoint store, written in the same commit as the refused
 * snapshot, and removed once a newer snapshot passes or the candidate is promoted.
 */
final class WaitingCandidate {
    private static final AvroCodec<ModelSnapshot> SNAPSHOTS = AvroCodec.of(ModelSnapshot.class);

    private final KeyValueStore<String, byte[]> store;
    private final String key;
    /** The version stored under the key; -1 when none is; Long.MIN_VALUE when one is, not read yet. */
    private long stored;

    WaitingCandidate(KeyValueStore<String, byte[]> store, String kind) {
        this.store = store;
        this.key = kind + "/waiting-candidate";
        this.stored = store.get(key) == null ? -1 : Long.MIN_VALUE; // unknown until read
    }

    /** Keeps the candidate across a restart (once per version). */
    void keep(ModelSnapshot candidate) {
        if (stored != candidate.getVersion()) {
            ChunkedValues.put(store, key, out -> SNAPSHOTS.encode(candidate, out));
            stored = candidate.getVersion();
        }
    }

    /** Nothing waits behind the newest snapshot any more. */
    void clear() {
        if (stored != -1) {
            ChunkedValues.delete(store, key);
            stored = -1;
        }
    }

    /**
     * The candidate kept before a restart, if any.
     *
     * @throws IllegalArgumentException when what is stored cannot be read
     */
    Optional<ModelSnapshot> restore() {
        InputStream in = ChunkedValues.open(store, key);
        if (in == null) {
            stored = -1;
            return Optional.empty();
        }
        ModelSnapshot s = SNAPSHOTS.decode(in);
        stored = s.getVersion();
        return Optional.of(s);
    }
}
