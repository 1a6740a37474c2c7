package io.streamcl.kind;

import io.streamcl.config.Settings;
import io.streamcl.eval.EvalReport;
import io.streamcl.eval.NextItemComparison;
import io.streamcl.eval.NextItemEvaluation;
import io.streamcl.ingest.EventFeatures;
import io.streamcl.ingest.EventItems;
import io.streamcl.ingest.EventRow;
import io.streamcl.ingest.SyntheticEvents;
import io.streamcl.learn.Embedder;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Synthetic users with planted tastes over clusters of items (seeded): every user's events but the last
 * are streamed in time order; then each user's embedding, made from their streamed items, must find the
 * held-out item among its 10 nearest items, against a most-popular list.
 */
public final class EventDemo implements DemoScenario {
    private final SyntheticEvents generator;
    private final List<EventRow> streamed = new ArrayList<>();
    private final Map<String, List<String>> histories;
    private final Map<String, Map<String, String>> catalogue = new LinkedHashMap<>();

    /** The demo of the event kind: synthetic users. */
    static DemoScenario create(DemoScenario.Options o) {
        return new EventDemo(o.users(), o.seed());
    }

    public EventDemo(int users, long seed) {
        this.generator = SyntheticEvents.builder().users(users).seed(seed).build();
        List<EventRow> all = generator.generate();
        this.histories = NextItemEvaluation.histories(all);
        Map<String, Integer> left = new HashMap<>();
        histories.forEach((u, h) -> left.put(u, h.size()));
        for (EventRow r : all) {
            if (left.merge(r.userId(), -1, Integer::sum) > 0) { // each user's last event is held out
                streamed.add(r);
            }
            catalogue.putIfAbsent(r.itemId(), r.itemAttributes());
        }
    }

    @Override
    public String kind() {
        return EventKind.NAME;
    }

    @Override
    public String describe() {
        return String.format("%d synthetic events streamed in time order (%s); each user's last event held out",
                streamed.size(), generator);
    }

    @Override
    public Map<String, String> settingDefaults() {
        return Map.of();
    }

    @Override
    public List<RawItem> trainingItems() {
        List<RawItem> items = new ArrayList<>(streamed.size());
        for (int i = 0; i < streamed.size(); i++) {
            items.add(EventItems.rawItem(EventItems.eventId(streamed.get(i), i), streamed.get(i)));
        }
        return items;
    }

    @Override
    public String feedKind() {
        return EventKind.ITEM;
    }

    @Override
    public int feedIds() {
        return (int) streamed.stream().map(EventRow::itemId).distinct().count();
    }

    @Override
    public EvalReport evaluate(Settings settings, ModelSnapshot untrained, ModelSnapshot trained,
            Map<String, float[]> feed, Function<ModelSnapshot, Embedder> encoders) {
        EventFeatures features = new EventFeatures(settings.get(EventKind.EVENT_VOCAB), settings.get(EventKind.EVENT_SLOTS),
                settings.get(EventKind.EVENT_FEATURES_PER_ITEM));
        NextItemComparison cmp = new NextItemComparison(features, histories, catalogue,
                NextItemEvaluation.Options.DEFAULT);
        Map<String, NextItemEvaluation.Result> rows = new LinkedHashMap<>();
        rows.put("learned (" + trained.getName() + " v" + trained.getVersion() + ", step " + trained.getStep() + ")",
                withEncoder(encoders.apply(trained), cmp));
        rows.put("untrained encoder (v" + untrained.getVersion() + ")", withEncoder(encoders.apply(untrained), cmp));
        rows.put("most popular", cmp.mostPopular());
        return NextItemEvaluation.report(String.format("next-item retrieval, leave-last-out, on %d users over %d items"
                + " (items a user has seen are not recommended)", histories.size(), catalogue.size()), rows);
    }

    private static NextItemEvaluation.Result withEncoder(Embedder encoder, NextItemComparison cmp) {
        try (Embedder e = encoder) {
            return cmp.encoder(e);
        }
    }
}
