package io.streamcl.bench;

import io.streamcl.config.Settings;
import io.streamcl.eval.EncoderComparison;
import io.streamcl.kind.StandaloneKind;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a sweep learns from and how it scores: one kind's items, in order, and the held-out ones a variant's
 * encoder is compared on. Any kind whose demo has labelled held-out items can be swept.
 *
 * @param <I> the decoded item
 * @param noun what the items are, plural, for the report ("images")
 * @param kinds the kind for a variant's settings
 * @param comparison scores an encoder of the kind on the held-out items
 * @param baselines figures of representations that learn nothing (TF-IDF, raw pixels), by name, for the report
 * @param source where the items come from, for the report
 */
public record SweepData<I>(String noun, Function<Settings, StandaloneKind<I>> kinds, List<String> trainIds,
        List<I> train, int testItems, Function<StandaloneKind<I>, EncoderComparison<I>> comparison,
        Map<String, Double> baselines, String source) {}
