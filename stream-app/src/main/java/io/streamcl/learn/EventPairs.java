package io.streamcl.learn;

import io.streamcl.augment.SequenceAugmenter;
import io.streamcl.ingest.EventFeatures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Turns a time-ordered stream of user events into positive pairs for {@link EventEncoderSpec}. It keeps a
 * {@link UserHistory} per user in memory (the {@code maxUsers} most recently active users; the least
 * recently active is forgotten first), so it belongs to the one trainer of the event kind.
 *
 * <p>An event whose user already has items earlier in the current session gives an {@link Example}: the
 * context (those earlier items) and the event's item. Its two views are
 * <ul>
 *   <li>query: a CL4SRec view (crop, mask or reorder; Xie et al. 2022) of the context, as a sequence;</li>
 *   <li>key: the event's item alone, one slot with its attributes.</li>
 * </ul>
 * So the encoder of a user's recent items is pulled towards the item the user went on to pick, and away
 * from the other keys of the batch and the bank: the next-item task a user embedding is scored on, with
 * items from one session as positives (Yi et al. 2019 train their two towers the same way). The key's item
 * id is the one the bank exclusion and the logQ correction use. The first event of a session gives no
 * example.
 */
public final class EventPairs {

    /**
     * One training example; replayed examples get fresh views.
     *
     * @param context the user's earlier items of the session, oldest first, non-empty
     * @param itemId the item the user then picked
     * @param attributes that item's attributes (may be empty)
     */
    public record Example(List<String> context, String itemId, Map<String, String> attributes) {
        public Example {
            context = List.copyOf(context);
            attributes = Map.copyOf(attributes);
            if (context.isEmpty()) {
                throw new IllegalArgumentException("context is empty");
            }
        }
    }

    /** The two views of an example, each {@link EventFeatures#inputSize()} floats. */
    public record Views(float[] query, float[] key) {}

    private final EventFeatures features;
    private final SequenceAugmenter augmenter;
    private final int maxItems;
    private final long sessionGapMs;
    private final long outOfOrderToleranceMs;
    private final Map<String, UserHistory> users;

    /**
     * @param maxItems items kept per user (the encoder sees the newest slots of them)
     * @param sessionGapMs a longer gap starts a new session
     * @param maxUsers users held in memory, >= 1
     */
    public EventPairs(EventFeatures features, SequenceAugmenter augmenter, int maxItems, long sessionGapMs,
            long outOfOrderToleranceMs, int maxUsers) {
        if (maxUsers < 1) {
            throw new IllegalArgumentException("maxUsers must be >= 1, got " + maxUsers);
        }
        new UserHistory(maxItems, sessionGapMs, outOfOrderToleranceMs); // validates
        this.features = Objects.requireNonNull(features, "features");
        this.augmenter = Objects.requireNonNull(augmenter, "augmenter");
        this.maxItems = maxItems;
        this.sessionGapMs = sessionGapMs;
        this.outOfOrderToleranceMs = outOfOrderToleranceMs;
        this.users = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, UserHistory> eldest) {
                return size() > maxUsers;
            }
        };
    }

    /**
     * Adds the event to its user's history.
     *
     * @return the example it makes, or null for the first event of a session or an event too late to use
     */
    public Example observe(String userId, String itemId, Map<String, String> attributes, long timestampMillis) {
        UserHistory h = users.computeIfAbsent(userId, u -> new UserHistory(maxItems, sessionGapMs,
                outOfOrderToleranceMs));
        List<String> before = h.session();
        UserHistory.Outcome outcome = h.add(itemId, timestampMillis);
        if (outcome != UserHistory.Outcome.ADDED || before.isEmpty()) {
            return null;
        }
        return new Example(before, itemId, attributes == null ? Map.of() : attributes);
    }

    /** The two views, all randomness from {@code rng}. */
    public Views views(Example e, SplittableRandom rng) {
        return new Views(features.sequence(augmenter.view(e.context(), rng)),
                features.item(e.itemId(), e.attributes()));
    }

    /** A user's kept items, oldest first (empty if unknown): the input of their user embedding. */
    public List<String> recent(String userId) {
        UserHistory h = users.get(userId);
        return h == null ? List.of() : h.recent();
    }

    /** Users held. */
    public int users() {
        return users.size();
    }
}
