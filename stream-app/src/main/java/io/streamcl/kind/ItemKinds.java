package io.streamcl.kind;

import io.streamcl.config.Settings;
import java.util.List;
import java.util.Optional;

/** The registry of kinds: adding a kind of item is adding it here. */
public final class ItemKinds {
    private final List<ItemKind<?>> kinds;

    private ItemKinds(List<ItemKind<?>> kinds) {
        this.kinds = List.copyOf(kinds);
    }

    public static ItemKinds fromSettings(Settings settings) {
        return new ItemKinds(List.of(new ImageKind(settings), new SentenceKind(settings), new EventKind(settings)));
    }

    public List<ItemKind<?>> all() {
        return kinds;
    }

    public Optional<ItemKind<?>> forPayload(Object payload) {
        return kinds.stream().filter(k -> k.handles(payload)).findFirst();
    }

    public Optional<ItemKind<?>> byName(String name) {
        return kinds.stream().filter(k -> k.name().equals(name)).findFirst();
    }
}
