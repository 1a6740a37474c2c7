package io.streamcl.ingest;

import io.streamcl.schema.RawItem;
import io.streamcl.schema.SentenceItem;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Small factories for wire records carrying a sentence, as {@link RawItems} has for images. */
public final class SentenceItems {

    private SentenceItems() {}

    /**
     * A raw item carrying a sentence of unknown language.
     *
     * @param attributes copied; null means none (e.g. the label columns of a TSV row, kept with the item so
     *     an evaluation can read them back)
     */
    public static RawItem rawItem(String id, long eventTimeMillis, String text, Map<String, String> attributes) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        return RawItem.newBuilder()
                .setId(id)
                .setEventTime(Instant.ofEpochMilli(eventTimeMillis))
                .setPayload(SentenceItem.newBuilder().setText(text).build())
                .setAttributes(attributes == null ? new HashMap<>() : new HashMap<>(attributes))
                .build();
    }
}
