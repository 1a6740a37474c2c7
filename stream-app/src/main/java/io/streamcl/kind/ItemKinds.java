package io.streamcl.kind;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.schema.RawItem;
import java.util.List;
import java.util.Optional;

/** The kinds one app runs, configured: what the topology is built for (see {@link KindRegistry#enabled}). */
public final class ItemKinds {
    private final List<ItemKind<?>> kinds;

    ItemKinds(List<ItemKind<?>> kinds) {
        this.kinds = List.copyOf(kinds);
    }

    /**
     * The {@linkplain KindRegistry#standard() standard} kinds the {@code kinds} setting enables.
     *
     * @throws InvalidSettingsException if it names a kind that does not exist
     */
    public static ItemKinds fromSettings(Settings settings) {
        return KindRegistry.standard().enabled(settings);
    }

    public List<ItemKind<?>> all() {
        return kinds;
    }

    /** The kind of a raw item; empty when no kind enabled here claims it. */
    public Optional<ItemKind<?>> forItem(RawItem item) {
        return kinds.stream().filter(k -> k.handles(item)).findFirst();
    }

    public Optional<ItemKind<?>> byName(String name) {
        return kinds.stream().filter(k -> k.name().equals(name)).findFirst();
    }
}
