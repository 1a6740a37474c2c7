package io.streamcl.ingest;

import java.util.Map;
import java.util.Objects;

/**
 * One user event read from a file or generated, before it becomes a {@link io.streamcl.schema.RawItem}
 * (see {@link EventItems#rawItem}).
 *
 * @param userId who acted
 * @param itemId on what
 * @param eventType e.g. "rating", "interaction"
 * @param timestampMillis event time, epoch milliseconds
 * @param weight e.g. the rating; null when the source has none
 * @param itemAttributes side information on the item (e.g. title, genres); empty when none. Copied with
 *     {@link Map#copyOf}, which keeps an already immutable map as it is, so rows of one item can share one
 *     map
 */
public record EventRow(String userId, String itemId, String eventType, long timestampMillis, Float weight,
                       Map<String, String> itemAttributes) {

    public EventRow {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(eventType, "eventType");
        itemAttributes = itemAttributes == null ? Map.of() : Map.copyOf(itemAttributes);
    }
}
