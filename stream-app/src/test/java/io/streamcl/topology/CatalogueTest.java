package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.CatalogueEntry;
import io.streamcl.schema.serde.AvroSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

class CatalogueTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000_000);
    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private final KeyValueStore<String, CatalogueEntry> entries = store("entries",
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("entries"), Serdes.String(),
                    AvroSerde.of(CatalogueEntry.class)).withLoggingDisabled().build());
    private final KeyValueStore<String, Long> versions = store("versions",
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("versions"), Serdes.String(), Serdes.Long())
                    .withLoggingDisabled().build());
    private final KeyValueStore<Long, String> order = store("order",
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("order"), Serdes.Long(), Serdes.String())
                    .withLoggingDisabled().build());
    private final AtomicInteger evicted = new AtomicInteger();

    private <K, V> KeyValueStore<K, V> store(String name, KeyValueStore<K, V> store) {
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    @Test
    void shouldKeepTheNewestInputOfAnItemSentAgainAndItsDecodedValues() {
        Catalogue c = new Catalogue(entries, versions, order, 10, 0, evicted::incrementAndGet);
        c.arrived("image|a", "image", new float[] {1, 2}, T0, T0);
        c.published("image|a", 3);
        c.arrived("image|a", "image", new float[] {0.5f, -7}, T0.plusSeconds(1), T0.plusSeconds(1));
        CatalogueEntry e = c.get("image|a");
        assertThat(Catalogue.input(e)).containsExactly(0.5f, -7);
        assertThat(versions.get("image|a")).as("waits to be embedded again").isEqualTo(Catalogue.WAITING);
        assertThat(c.count("image")).isEqualTo(1);
        assertThat(order.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void shouldEvictTheLeastRecentlySentPastItsSizeAndCountIt() {
        Catalogue c = new Catalogue(entries, versions, order, 3, 0, evicted::incrementAndGet);
        for (String id : List.of("a", "b", "c")) {
            c.arrived("image|" + id, "image", new float[] {1}, T0, T0);
        }
        c.arrived("image|a", "image", new float[] {2}, T0, T0); // a is now the most recent
        c.arrived("sentence|d", "sentence", new float[] {3}, T0, T0);
        assertThat(c.get("image|b")).isNull();
        assertThat(versions.get("image|b")).isNull();
        assertThat(c.get("image|a")).isNotNull();
        assertThat(evicted).hasValue(1);
        assertThat(c.count("image")).isEqualTo(2);
        assertThat(c.count("sentence")).isEqualTo(1);

        Catalogue reopened = new Catalogue(entries, versions, order, 3, 0, evicted::incrementAndGet);
        assertThat(reopened.count("image")).as("counted again from the stores").isEqualTo(2);
        reopened.arrived("image|e", "image", new float[] {4}, T0, T0);
        assertThat(reopened.get("image|c")).as("the order survives a restart").isNull();
    }

    @Test
    void shouldEvictEntriesNotSentAgainWithinTheAgeLimit() {
        Catalogue c = new Catalogue(entries, versions, order, 100, 60_000, evicted::incrementAndGet);
        c.arrived("image|old", "image", new float[] {1}, T0, T0);
        c.arrived("image|new", "image", new float[] {1}, T0, T0.plusSeconds(50));
        c.evictExpired(T0.plusSeconds(70));
        assertThat(c.get("image|old")).isNull();
        assertThat(c.get("image|new")).isNotNull();
        assertThat(evicted).hasValue(1);
    }

    @Test
    void shouldIterateOneKindInKeyOrderFromACursor() {
        Catalogue c = new Catalogue(entries, versions, order, 100, 0, evicted::incrementAndGet);
        for (String key : List.of("image|b", "sentence|a", "image|a", "image|c", "event|z")) {
            c.arrived(key, "x", new float[] {1}, T0, T0);
        }
        assertThat(keys(c.versionsAfter("image", null))).containsExactly("image|a", "image|b", "image|c");
        assertThat(keys(c.versionsAfter("image", "image|a"))).containsExactly("image|b", "image|c");
        assertThat(keys(c.versionsAfter("image", "image|c"))).isEmpty();
    }

    private static List<String> keys(KeyValueIterator<String, Long> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> out.add(kv.key));
        }
        return out;
    }
}
