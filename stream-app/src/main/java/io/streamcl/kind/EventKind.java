package io.streamcl.kind;

import io.streamcl.augment.SequenceAugmenter;
import io.streamcl.config.Settings;
import io.streamcl.ingest.EventDecoder;
import io.streamcl.ingest.EventFeatures;
import io.streamcl.ingest.EventRow;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.learn.ContrastiveTrainer;
import io.streamcl.learn.EncoderSpec;
import io.streamcl.learn.EventEncoderSpec;
import io.streamcl.learn.EventLearner;
import io.streamcl.learn.EventPairs;
import io.streamcl.learn.ItemFrequency;
import io.streamcl.learn.ItemLearner;
import io.streamcl.learn.ReplayPlan;
import io.streamcl.learn.UserHistory;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.UserEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * User events (recommendation): one encoder embeds items and users in one space. Each event publishes
 * its item, under {@code item:<itemId>} with kind {@value #ITEM}, and its user, under {@code
 * user:<userId>} with kind {@value #USER}, from the user's recent items. The trainer pairs a user's
 * session so far with the item they picked next (see {@link EventPairs}).
 */
public final class EventKind implements ItemKind<EventRow> {
    public static final String NAME = "event";
    public static final String ITEM = "item";
    public static final String USER = "user";

    private final EventFeatures features;
    private final EventEncoderSpec spec;
    private final int maxItems;
    private final long sessionGapMs;
    private final long outOfOrderMs;
    private final int maxUsers;
    private final boolean logQ;

    public EventKind(Settings s) {
        this.features = new EventFeatures(s.get(Settings.EVENT_VOCAB), s.get(Settings.EVENT_SLOTS),
                s.get(Settings.EVENT_FEATURES_PER_ITEM));
        this.spec = new EventEncoderSpec(s.get(Settings.EVENT_VOCAB), s.get(Settings.EVENT_SLOTS),
                s.get(Settings.EVENT_FEATURES_PER_ITEM), s.get(Settings.EVENT_TOKEN_DIM), s.get(Settings.EMBEDDING_DIM),
                s.get(Settings.PROJECTION_DIM));
        this.maxItems = s.get(Settings.EVENT_MAX_ITEMS);
        this.sessionGapMs = s.get(Settings.EVENT_SESSION_GAP_MS);
        this.outOfOrderMs = s.get(Settings.EVENT_OUT_OF_ORDER_MS);
        this.maxUsers = s.get(Settings.EVENT_MAX_USERS);
        this.logQ = "on".equals(s.get(Settings.EVENT_LOGQ));
    }

    /** The key an item's embedding is published under. */
    public static String itemKey(String itemId) {
        return ITEM + ":" + itemId;
    }

    /** The key a user's embedding is published under. */
    public static String userKey(String userId) {
        return USER + ":" + userId;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean handles(Object payload) {
        return payload instanceof UserEvent;
    }

    @Override
    public EventRow decode(RawItem item) throws InvalidItemException {
        UserEvent e = EventDecoder.decode((UserEvent) item.getPayload());
        if (item.getEventTime() == null) {
            throw new InvalidItemException("event has no eventTime");
        }
        return new EventRow(e.getUserId(), e.getItemId(), e.getEventType(), item.getEventTime().toEpochMilli(),
                e.getWeight(), e.getItemAttributes());
    }

    @Override
    public ItemLearner<EventRow> learner(ContrastiveTrainer trainer, ReplayPlan plan) {
        EventPairs pairs = new EventPairs(features, new SequenceAugmenter(), maxItems, sessionGapMs, outOfOrderMs,
                maxUsers);
        return new EventLearner(trainer, pairs, new ItemFrequency(), plan, logQ);
    }

    @Override
    public List<EmbeddingInput> embeddingInputs(String id, EventRow event) {
        return List.of(new EmbeddingInput(itemKey(event.itemId()), ITEM,
                features.item(event.itemId(), event.itemAttributes())));
    }

    @Override
    public List<String> embeddingKinds() {
        return List.of(ITEM, USER);
    }

    @Override
    public Optional<EntityHistory<EventRow>> entityHistory() {
        return Optional.of(new Users());
    }

    @Override
    public EncoderSpec encoderSpec() {
        return spec;
    }

    @Override
    public EncoderSpec encoderSpec(Map<String, String> snapshotConfig) {
        return EventEncoderSpec.fromConfig(snapshotConfig);
    }

    /** A user's recent items, kept as {@link UserHistory} bytes. */
    private final class Users implements EntityHistory<EventRow> {
        @Override
        public String entityName() {
            return USER;
        }

        @Override
        public String entityId(EventRow event) {
            return event.userId();
        }

        @Override
        public Optional<byte[]> update(Optional<byte[]> stored, EventRow event) {
            UserHistory h = stored.flatMap(Users::readable)
                    .orElseGet(() -> new UserHistory(maxItems, sessionGapMs, outOfOrderMs));
            if (h.add(event.itemId(), event.timestampMillis()) == UserHistory.Outcome.OUT_OF_ORDER_IGNORED) {
                return Optional.empty();
            }
            return Optional.of(h.toBytes());
        }

        /** A history this version cannot read (an older format, or damaged) starts over, not the stream thread. */
        private static Optional<UserHistory> readable(byte[] stored) {
            try {
                return Optional.of(UserHistory.fromBytes(stored));
            } catch (IllegalArgumentException e) {
                LoggerFactory.getLogger(EventKind.class).warn("a user history starts over: {}", e.getMessage());
                return Optional.empty();
            }
        }

        @Override
        public EmbeddingInput embeddingInput(String userId, byte[] history) {
            return new EmbeddingInput(userKey(userId), USER, features.sequence(UserHistory.fromBytes(history).recent()));
        }
    }
}
