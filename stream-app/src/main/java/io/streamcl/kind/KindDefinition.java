package io.streamcl.kind;

import io.streamcl.config.Setting;
import io.streamcl.config.SettingGroup;
import io.streamcl.config.Settings;
import io.streamcl.schema.RawItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A kind of item as it is registered in a {@link KindRegistry}, before any settings are read: its name,
 * the settings it brings, how it is configured from them, and what the commands need of it. Everything the
 * app does differently for a kind comes from here, so that adding a kind touches no command, no topology and
 * no settings class.
 */
public final class KindDefinition {
    private final String name;
    private final SettingGroup settings;
    private final Function<Settings, ItemKind<?>> configure;
    private final Function<RawItem, Optional<String>> partitionKey;
    private final List<ItemFormat> formats;
    private final Optional<DemoScenario.Factory> demo;

    private KindDefinition(Builder b) {
        this.name = b.name;
        this.settings = withOwnValues(name, b.settings, b.ownDefaults);
        this.configure = Objects.requireNonNull(b.configure, "configure");
        this.partitionKey = b.partitionKey;
        this.formats = List.copyOf(b.formats);
        this.demo = Optional.ofNullable(b.demo);
    }

    /** The kind's settings, then its own value of each {@link Settings#PER_KIND} setting, empty unless it ships one. */
    private static SettingGroup withOwnValues(String kind, SettingGroup group, Map<Setting<?>, String> ownDefaults) {
        List<Setting<?>> all = new ArrayList<>(group.settings());
        Settings.PER_KIND.forEach(shared -> all.add(Setting.perKind(kind, shared, ownDefaults.getOrDefault(shared, ""))));
        return new SettingGroup(all, group.rules());
    }

    /** @param name lower-case, as the {@code kinds} setting and the models topic spell it */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The settings this kind brings and the rules between them (the README table lists them after the core). */
    public SettingGroup settings() {
        return settings;
    }

    /** The kind configured from settings that hold {@link #settings()}, with its own values of the shared ones. */
    public ItemKind<?> configure(Settings values) {
        return configure.apply(values.forKind(name));
    }

    /**
     * The key whose partition a raw item of this kind goes to, where that is not its id: items that must be
     * processed in order with others (a user's events) share it. Empty for items of other kinds.
     */
    public Optional<String> partitionKey(RawItem item) {
        return partitionKey.apply(item);
    }

    /** Where {@code produce} and {@code embed} can read its items from: files, and perhaps a generator. */
    public List<ItemFormat> formats() {
        return formats;
    }

    /** What {@code demo --kind <name>} streams and how it scores it, if this kind has a demo. */
    public Optional<DemoScenario.Factory> demo() {
        return demo;
    }

    /** Collects a definition: {@link #configure} is required, the rest optional. */
    public static final class Builder {
        private final String name;
        private SettingGroup settings = SettingGroup.of();
        private final Map<Setting<?>, String> ownDefaults = new LinkedHashMap<>();
        private Function<Settings, ItemKind<?>> configure;
        private Function<RawItem, Optional<String>> partitionKey = item -> Optional.empty();
        private List<ItemFormat> formats = List.of();
        private DemoScenario.Factory demo;

        private Builder(String name) {
            if (!name.matches("[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException("a kind's name is lower-case letters, digits and '-': " + name);
            }
            this.name = name;
        }

        public Builder settings(SettingGroup group) {
            this.settings = group;
            return this;
        }

        /**
         * This kind's default for one of {@link Settings#PER_KIND}, where the shared default does not suit it
         * (BENCHMARKS.md says why each shipped one was chosen).
         */
        public Builder ownDefault(Setting<?> shared, String value) {
            if (!Settings.PER_KIND.contains(shared)) {
                throw new IllegalArgumentException(shared.name() + " cannot be set per kind");
            }
            ownDefaults.put(shared, value);
            return this;
        }

        public Builder configure(Function<Settings, ItemKind<?>> factory) {
            this.configure = factory;
            return this;
        }

        public Builder partitionKey(Function<RawItem, Optional<String>> key) {
            this.partitionKey = key;
            return this;
        }

        public Builder formats(List<ItemFormat> readers) {
            this.formats = readers;
            return this;
        }

        public Builder demo(DemoScenario.Factory factory) {
            this.demo = factory;
            return this;
        }

        public KindDefinition build() {
            return new KindDefinition(this);
        }
    }
}
