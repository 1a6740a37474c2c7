package io.streamcl.kind;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import java.util.List;
import java.util.Optional;

/** The registry of kinds: adding a kind of item is adding it here. */
public final class ItemKinds {
    private final List<ItemKind<?>> kinds;

    private ItemKinds(List<ItemKind<?>> kinds) {
        this.kinds = List.copyOf(kinds);
    }

    /**
     * The kinds the {@code kinds} setting enables.
     *
     * @throws InvalidSettingsException if it names a kind that does not exist
     */
    public static ItemKinds fromSettings(Settings settings) {
        List<ItemKind<?>> known = List.of(new ImageKind(settings), new SentenceKind(settings), new EventKind(settings));
        List<String> names = known.stream().map(ItemKind::name).toList();
        List<String> unknown = settings.get(Settings.KINDS).stream().filter(k -> !names.contains(k)).toList();
        if (!unknown.isEmpty()) {
            throw new InvalidSettingsException(List.of("kinds: unknown " + String.join(", ", unknown) + " (known: "
                    + String.join(", ", names) + ")"));
        }
        return new ItemKinds(known.stream().filter(k -> settings.get(Settings.KINDS).contains(k.name())).toList());
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
