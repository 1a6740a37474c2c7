package io.streamcl.cli;

import io.streamcl.kind.ItemFormat;
import io.streamcl.kind.KindDefinition;
import io.streamcl.kind.KindRegistry;
import java.util.Iterator;

/** The choices of the commands' options, from the registered kinds, for their help and shell completion. */
final class KindChoices {
    private KindChoices() {}

    /** {@code --kind}: every registered kind. */
    static final class Kinds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return KindRegistry.standard().names().iterator();
        }
    }

    /** {@code --format}: every file format of every kind. */
    static final class Formats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return KindRegistry.standard().all().stream().flatMap(k -> k.formats().stream())
                    .filter(f -> !f.synthetic()).map(ItemFormat::name).distinct().iterator();
        }
    }

    /** {@code --kind} of {@code demo}: the kinds that have one. */
    static final class Demos implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return KindRegistry.standard().all().stream().filter(k -> k.demo().isPresent()).map(KindDefinition::name)
                    .iterator();
        }
    }
}
