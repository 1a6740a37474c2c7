package io.streamcl.topology;

import io.streamcl.config.Settings;

/** The topic names the app uses, from the settings. */
public record Topics(String rawItems, String deadLetters, String models, String embeddings, String status,
        String trainPrefix) {

    public static Topics from(Settings s) {
        return new Topics(s.get(Settings.TOPIC_RAW_ITEMS), s.get(Settings.TOPIC_DEAD_LETTERS),
                s.get(Settings.TOPIC_MODELS), s.get(Settings.TOPIC_EMBEDDINGS), s.get(Settings.TOPIC_STATUS),
                s.get(Settings.TOPIC_TRAIN_PREFIX));
    }

    /** The one-partition topic that feeds the single trainer of a kind. */
    public String train(String kind) {
        return trainPrefix + kind;
    }

    /**
     * The topic that feeds a kind's items, keyed by entity, to the embedders that keep its entities'
     * histories (e.g. {@code raw-items-event-by-user}); as many partitions as raw-items.
     */
    public String byEntity(String kind, String entity) {
        return rawItems + "-" + kind + "-by-" + entity;
    }
}
