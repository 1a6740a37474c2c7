package io.streamcl.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One named setting: its documentation, default, parser and validator. Settings enter through
 * {@link Settings#load}, where every value is parsed and validated once.
 *
 * @param name      dotted name, as in a properties file ({@code batch.size})
 * @param doc       one line for the README's settings table and error messages
 * @param defaultValue the default as text (parsed like any other value)
 * @param parser    text to typed value; throws on malformed text
 * @param validator accepts a typed value
 * @param rule      what the validator accepts, in words ("> 0", "one of moco|simclr|siamese")
 */
public record Setting<T>(
        String name,
        String doc,
        String defaultValue,
        Function<String, T> parser,
        Predicate<T> validator,
        String rule) {

    /** The same setting with another default, e.g. one known only once the kinds are registered. */
    public Setting<T> withDefault(String defaultText) {
        return new Setting<>(name, doc, defaultText, parser, validator, rule);
    }

    /** The environment variable that sets it: {@code batch.size} is {@code STREAMCL_BATCH_SIZE}. */
    public String envName() {
        return envName(name);
    }

    /** The environment variable for a setting's name: {@code STREAMCL_} and the name in capitals, {@code _} for the rest. */
    public static String envName(String name) {
        return "STREAMCL_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    public static Setting<Integer> intSetting(String name, int def, int min, int max, String doc) {
        String rule = max == Integer.MAX_VALUE ? ">= " + min : "in [" + min + ", " + max + "]";
        return new Setting<>(name, doc, Integer.toString(def), s -> Integer.valueOf(s.strip()),
                v -> v >= min && v <= max, rule);
    }

    public static Setting<Long> longSetting(String name, long def, String doc) {
        return new Setting<>(name, doc, Long.toString(def), s -> Long.valueOf(s.strip()), v -> true, "any integer");
    }

    /** A float in the open/closed range given by {@code minExclusive} and {@code max} (inclusive). */
    public static Setting<Float> floatSetting(String name, float def, float minExclusive, float max, String doc) {
        return new Setting<>(name, doc, Float.toString(def), s -> Float.valueOf(s.strip()),
                v -> !v.isNaN() && v > minExclusive && v <= max, "in (" + minExclusive + ", " + max + "]");
    }

    public static Setting<Float> fractionSetting(String name, float def, String doc) {
        return new Setting<>(name, doc, Float.toString(def), s -> Float.valueOf(s.strip()),
                v -> !v.isNaN() && v >= 0f && v <= 1f, "in [0, 1]");
    }

    public static Setting<String> stringSetting(String name, String def, String doc) {
        return new Setting<>(name, doc, def, String::strip, v -> !v.isEmpty(), "not empty");
    }

    public static Setting<String> choiceSetting(String name, String def, List<String> choices, String doc) {
        return new Setting<>(name, doc, def, s -> s.strip().toLowerCase(Locale.ROOT), choices::contains,
                "one of " + String.join("|", choices));
    }

    /** Comma-separated names, at least one, no repeats, e.g. {@code image,event}. */
    public static Setting<List<String>> nameListSetting(String name, String def, String doc) {
        return new Setting<>(name, doc, def,
                s -> java.util.Arrays.stream(s.split(",")).map(x -> x.strip().toLowerCase(Locale.ROOT))
                        .filter(x -> !x.isEmpty()).toList(),
                v -> !v.isEmpty() && v.stream().distinct().count() == v.size(), "comma-separated names, no repeats");
    }

    /**
     * {@code <kind>.<shared name>}: one kind's own value of a shared setting, e.g. {@code event.embedding.dim}. Empty
     * means the shared value; otherwise it must be a value the shared setting accepts. {@link Settings#forKind}
     * reads it.
     */
    public static Setting<String> perKind(String kind, Setting<?> shared, String defaultText) {
        return new Setting<>(kind + "." + shared.name(), "for " + kind + " items, " + shared.name()
                + " (empty: the shared value; a shared value you set wins over a default here)", defaultText,
                String::strip, v -> v.isEmpty() || accepts(shared, v), "empty, or " + shared.rule());
    }

    private static <T> boolean accepts(Setting<T> s, String text) {
        try {
            return s.validator().test(s.parser().apply(text));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Comma-separated positive ints, e.g. CNN channel widths {@code 32,64}. */
    public static Setting<int[]> intListSetting(String name, String def, String doc) {
        return new Setting<>(name, doc, def,
                s -> java.util.Arrays.stream(s.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray(),
                v -> v.length > 0 && java.util.Arrays.stream(v).allMatch(x -> x > 0 && x <= 4096),
                "comma-separated ints in [1, 4096]");
    }
}
