package io.streamcl.kind;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.SettingGroup;
import io.streamcl.config.Settings;
import io.streamcl.schema.RawItem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds the app knows: adding a kind of item is adding its {@link KindDefinition} here. The settings, the
 * {@code kinds} setting's default, and the choices of the commands all come from this list.
 */
public final class KindRegistry {
    private static final KindRegistry STANDARD = builder()
            .add(ImageKind.DEFINITION)
            .add(SentenceKind.DEFINITION)
            .add(EventKind.DEFINITION)
            .build();

    private final List<KindDefinition> kinds;

    private KindRegistry(List<KindDefinition> kinds) {
        this.kinds = List.copyOf(kinds);
    }

    /** The kinds this app ships: image, sentence, event. */
    public static KindRegistry standard() {
        return STANDARD;
    }

    public static Builder builder() {
        return new Builder(List.of());
    }

    /** A builder that starts with these kinds, to register one more. */
    public Builder toBuilder() {
        return new Builder(kinds);
    }

    public List<KindDefinition> all() {
        return kinds;
    }

    public List<String> names() {
        return kinds.stream().map(KindDefinition::name).toList();
    }

    public Optional<KindDefinition> byName(String name) {
        return kinds.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The core settings, then each kind's, in registration order. */
    public List<SettingGroup> settingGroups() {
        List<SettingGroup> groups = new ArrayList<>();
        groups.add(Settings.core(names()));
        kinds.forEach(k -> groups.add(k.settings()));
        return groups;
    }

    /** Every setting at its default. */
    public Settings defaultSettings() {
        return Settings.defaults(settingGroups());
    }

    /** See {@link Settings#load}. */
    public Settings loadSettings(Path propertiesFile, Map<String, String> env, Map<String, String> flags) {
        Settings settings = Settings.load(settingGroups(), propertiesFile, env, flags);
        List<String> problems = new ArrayList<>();
        for (KindDefinition k : kinds) { // each kind's own values must pass the same rules, checked here at start
            try {
                settings.forKind(k.name());
            } catch (InvalidSettingsException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return settings;
    }

    /**
     * The kinds the {@code kinds} setting enables, configured.
     *
     * @throws InvalidSettingsException if it names a kind that is not registered
     */
    public ItemKinds enabled(Settings settings) {
        List<String> wanted = settings.get(Settings.KINDS);
        List<String> unknown = wanted.stream().filter(k -> byName(k).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw new InvalidSettingsException(List.of("kinds: unknown " + String.join(", ", unknown) + " (known: "
                    + String.join(", ", names()) + ")"));
        }
        return new ItemKinds(kinds.stream().filter(k -> wanted.contains(k.name())).<ItemKind<?>>map(
                k -> k.configure(settings)).toList());
    }

    /** The key whose partition a raw item goes to, where a kind says it is not the item's id. */
    public Optional<String> partitionKey(RawItem item) {
        return kinds.stream().flatMap(k -> k.partitionKey(item).stream()).findFirst();
    }

    /** Collects kinds in order; a second kind of the same name is refused. */
    public static final class Builder {
        private final List<KindDefinition> kinds;

        private Builder(List<KindDefinition> start) {
            this.kinds = new ArrayList<>(start);
        }

        public Builder add(KindDefinition kind) {
            if (kinds.stream().anyMatch(k -> k.name().equals(kind.name()))) {
                throw new IllegalArgumentException("a kind named " + kind.name() + " is already registered");
            }
            kinds.add(kind);
            return this;
        }

        public KindRegistry build() {
            return new KindRegistry(kinds);
        }
    }
}
