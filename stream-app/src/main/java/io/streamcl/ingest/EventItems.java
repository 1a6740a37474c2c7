package io.streamcl.ingest;

import io.streamcl.schema.RawItem;
import io.streamcl.schema.UserEvent;
import java.time.Instant;
import java.util.HashMap;

/** Turns {@link EventRow}s into wire records. */
public final class EventItems {

    private EventItems() {}

    /**
     * The id of the {@code index}-th event of a replay: {@code <userId>:<timestampMillis>:<index>}.
     *
     * <p>The index (the event's position in the replayed, time-ordered sequence) makes the id unique even
     * when one user has two events in the same millisecond, and the same file replayed the same way gives
     * the same ids, so a replay overwrites rather than duplicates in compacted topics. The user id comes
     * first so the ids of one user sort together.
     */
    public static String eventId(EventRow row, long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        return row.userId() + ":" + row.timestampMillis() + ":" + index;
    }

    /**
     * A raw item carrying the event as a {@link UserEvent} payload; RawItem.eventTime is the event's time.
     * The RawItem attributes are empty; item attributes travel in the payload, as null when there are
     * none (the schema's default).
     *
     * @param id e.g. {@link #eventId}
     */
    public static RawItem rawItem(String id, EventRow row) {
        UserEvent event = UserEvent.newBuilder()
                .setUserId(row.userId())
                .setItemId(row.itemId())
                .setEventType(row.eventType())
                .setWeight(row.weight())
                .setItemAttributes(row.itemAttributes().isEmpty() ? null : new HashMap<>(row.itemAttributes()))
                .build();
        return RawItem.newBuilder()
                .setId(id)
                .setEventTime(Instant.ofEpochMilli(row.timestampMillis()))
                .setPayload(event)
                .setAttributes(new HashMap<>())
                .build();
    }
}
