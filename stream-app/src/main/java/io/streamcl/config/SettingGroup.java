package io.streamcl.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings that belong together, and the rules that tie their values to each other: the app's core
 * settings, or one kind's. {@link Settings} are loaded from a list of groups, so that a kind brings its
 * own settings and this package needs to know no kind.
 *
 * @param settings in the order the {@code settings} command lists them
 * @param rules    checked once every setting of every group has a valid value of its own
 */
public record SettingGroup(List<Setting<?>> settings, List<Rule> rules) {

    /** A constraint across settings, e.g. one minimum no larger than its maximum. */
    @FunctionalInterface
    public interface Rule {
        /** What is wrong with these values, or null when nothing is. */
        String problem(Settings values);
    }

    public SettingGroup {
        settings = List.copyOf(settings);
        rules = List.copyOf(rules);
    }

    public static SettingGroup of(Setting<?>... settings) {
        return new SettingGroup(List.of(settings), List.of());
    }

    /** This group with one more rule. */
    public SettingGroup withRule(Rule rule) {
        List<Rule> all = new ArrayList<>(rules);
        all.add(rule);
        return new SettingGroup(settings, all);
    }
}
