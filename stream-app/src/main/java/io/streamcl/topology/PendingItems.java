package io.streamcl.topology;

import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The items a kind's trainer was offered that its newest stored checkpoint has not finished learning from,
 * kept in the trainer's changelogged checkpoint store by sequence number. Their input offsets are committed
 * long before their last replay, and the replay buffer that holds them dies with the trainer: without this
 * copy, a trainer restored from its checkpoint would never learn from them. Each item is kept in the same
 * commit as the offset that consumed it, and forgotten once a stored checkpoint has learned all it owed it.
 */
final class PendingItems {
    private static final AvroCodec<RawItem> ITEMS = AvroCodec.of(RawItem.class);

    /** One kept item. */
    record Pending(long seq, RawItem item) {}

    private final KeyValueStore<String, byte[]> store;
    private final String prefix;
    /** Every item below it is already forgotten: a later forget need not read their deletions again. */
    private long forgottenBefore;

    PendingItems(KeyValueStore<String, byte[]> store, String kind) {
        this.store = store;
        this.prefix = kind + "/pending/";
    }

    /** Keeps the item offered as number {@code seq}. */
    void keep(long seq, RawItem item) {
        store.put(key(seq), ITEMS.encode(item));
    }

    /** Forgets every item numbered below {@code seq}: a checkpoint now stored owes them nothing. */
    void forgetBefore(long seq) {
        if (seq > forgottenBefore) {
            keys(forgottenBefore, seq - 1).forEach(store::delete);
            forgottenBefore = seq;
        }
    }

    /** The items kept, oldest first. */
    List<Pending> all() {
        List<Pending> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(key(0), key(Long.MAX_VALUE))) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                out.add(new Pending(Long.parseLong(kv.key.substring(prefix.length())), ITEMS.decode(kv.value)));
            }
        }
        return out;
    }

    private List<String> keys(long from, long to) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(key(from), key(to))) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    /** Zero-padded, so that the store's byte order is the numbers' order. */
    private String key(long seq) {
        return prefix + String.format("%019d", seq);
    }
}
