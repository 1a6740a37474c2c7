package io.streamcl.ingest;

import io.streamcl.schema.UserEvent;
import java.util.Map;

/**
 * Validates a {@link UserEvent} from the wire. Any bad event ends as {@link InvalidItemException} with a
 * reason, never as another exception.
 *
 * <p>The limits keep one event's cost bounded: ids and attributes are later hashed into embedding
 * buckets by the model, so a megabyte-long id or thousands of attributes would only cost time and
 * memory without telling the model anything more.
 */
public final class EventDecoder {

    /** The longest user id or item id, in chars. */
    public static final int MAX_ID_LENGTH = 256;
    /** The most item attributes one event may carry. */
    public static final int MAX_ATTRIBUTES = 64;

    private EventDecoder() {}

    /**
     * Checks an event and returns it unchanged.
     *
     * @throws InvalidItemException when the user id or item id is blank or longer than
     *     {@value #MAX_ID_LENGTH} chars, the event type is blank, the weight is NaN or infinite, or there
     *     are more than {@value #MAX_ATTRIBUTES} attributes (or a null attribute key or value)
     */
    public static UserEvent decode(UserEvent e) throws InvalidItemException {
        if (e == null) {
            throw new InvalidItemException("user event is null");
        }
        String reason = problem(e.getUserId(), e.getItemId(), e.getEventType(), e.getWeight(), e.getItemAttributes());
        if (reason != null) {
            throw new InvalidItemException(reason);
        }
        return e;
    }

    /**
     * What is wrong with an event's fields, or null if nothing: shared with {@link EventFileReader} so a
     * file row the decoder would reject is reported as a bad row instead of being produced.
     *
     * @param attributes null for none
     */
    static String problem(String userId, String itemId, String eventType, Float weight,
                          Map<String, String> attributes) {
        String r = idProblem("userId", userId);
        if (r == null) {
            r = idProblem("itemId", itemId);
        }
        if (r != null) {
            return r;
        }
        if (eventType == null || eventType.isBlank()) {
            return "eventType is blank";
        }
        if (weight != null && !Float.isFinite(weight)) {
            return "weight must be finite, got " + weight;
        }
        if (attributes != null) {
            if (attributes.size() > MAX_ATTRIBUTES) {
                return "itemAttributes has " + attributes.size() + " entries, more than " + MAX_ATTRIBUTES;
            }
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                if (a.getKey() == null) {
                    return "itemAttributes has a null key";
                }
                if (a.getValue() == null) {
                    return "itemAttributes[" + a.getKey() + "] is null";
                }
            }
        }
        return null;
    }

    private static String idProblem(String name, String id) {
        if (id == null || id.isBlank()) {
            return name + " is blank";
        }
        if (id.length() > MAX_ID_LENGTH) {
            return name + " has " + id.length() + " chars, more than " + MAX_ID_LENGTH;
        }
        return null;
    }
}
