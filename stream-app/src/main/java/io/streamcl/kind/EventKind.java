package io.streamcl.kind;

import static io.streamcl.config.Setting.choiceSetting;
import static io.streamcl.config.Setting.floatSetting;
import static io.streamcl.config.Setting.fractionSetting;
import static io.streamcl.config.Setting.intListSetting;
import static io.streamcl.config.Setting.intSetting;

import io.streamcl.augment.SequenceAugmenter;
import io.streamcl.config.Setting;
import io.streamcl.config.SettingGroup;
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

    public static final Setting<Integer> EVENT_VOCAB = intSetting("event.vocab-size", 16_384, 16, 1 << 24,
            "hashed buckets of item ids and item attributes; the model has vocab x token-dim weights; a step updates the rows its batch holds");
    public static final Setting<Integer> EVENT_SLOTS = intSetting("event.slots", 20, 1, 1024,
            "newest items of a user the encoder sees (a user embedding pools them; an item embedding is one slot)");
    public static final Setting<Integer> EVENT_FEATURES_PER_ITEM = intSetting("event.features-per-item", 4, 1, 65,
            "hashed ids per item: its id, then up to N-1 attributes (key=value, sorted by key)");
    public static final Setting<Integer> EVENT_TOKEN_DIM = intSetting("event.token-dim", 32, 1, 4096,
            "size of each hashed id's learned vector");
    public static final Setting<Integer> EVENT_SESSION_GAP_MS = intSetting("event.session-gap-ms", 1_800_000, 1,
            Integer.MAX_VALUE, "a longer gap between two events of a user starts a new session; pairs come from one session");
    public static final Setting<Integer> EVENT_OUT_OF_ORDER_MS = intSetting("event.out-of-order-ms", 300_000, 0,
            Integer.MAX_VALUE, "an event up to this much older than its user's newest is put in its place in time; an older one"
                    + " is still embedded as an item but leaves the user's history as it was");
    public static final Setting<Integer> EVENT_MAX_ITEMS = intSetting("event.max-items", 50, 1, 100_000,
            "items kept per user (the newest)");
    public static final Setting<Integer> EVENT_MAX_USERS = intSetting("event.max-users", 100_000, 1, 100_000_000,
            "users whose history the event trainer holds; the least recently active is forgotten first");
    public static final Setting<String> EVENT_LOGQ = choiceSetting("event.logq", "on", List.of("on", "off"),
            "on: subtract log q(item) from in-batch logits, q estimated from the stream (Yi et al. 2019); moco only");

    /** How it is registered: its settings, how they configure it, where its items are read from, its demo. */
    public static final KindDefinition DEFINITION = KindDefinition.builder(NAME)
            .settings(SettingGroup.of(EVENT_VOCAB, EVENT_SLOTS, EVENT_FEATURES_PER_ITEM, EVENT_TOKEN_DIM,
                    EVENT_SESSION_GAP_MS, EVENT_OUT_OF_ORDER_MS, EVENT_MAX_ITEMS, EVENT_MAX_USERS, EVENT_LOGQ)
                .withRule(s -> s.get(EVENT_SLOTS) > s.get(EVENT_MAX_ITEMS)
                        ? "event.slots must be <= event.max-items (a user embedding sees at most the items kept)" : null))
            // the images' 256 doubles the event encoder's output layer for little: HitRate@10 0.259 at 256 and 0.254
            // at 128 (bench quality; BENCHMARKS.md has the throughput of each)
            .ownDefault(Settings.EMBEDDING_DIM, "128")
            .configure(EventKind::new)
            .formats(EventFormats.all())
            .demo(EventDemo::create)
            // a user's events go to the user's partition, so that they are read in the order they were sent
            .partitionKey(item -> item.getPayload() instanceof UserEvent e ? Optional.of(e.getUserId()) : Optional.empty())
            .build();

    private final EventFeatures features;
    private final EventEncoderSpec spec;
    private final int maxItems;
    private final long sessionGapMs;
    private final long outOfOrderMs;
    private final int maxUsers;
    private final boolean logQ;

    public EventKind(Settings s) {
        this.features = new EventFeatures(s.get(EVENT_VOCAB), s.get(EVENT_SLOTS),
                s.get(EVENT_FEATURES_PER_ITEM));
        this.spec = new EventEncoderSpec(s.get(EVENT_VOCAB), s.get(EVENT_SLOTS),
                s.get(EVENT_FEATURES_PER_ITEM), s.get(EVENT_TOKEN_DIM), s.get(Settings.EMBEDDING_DIM),
                s.get(Settings.PROJECTION_DIM));
        this.maxItems = s.get(EVENT_MAX_ITEMS);
        this.sessionGapMs = s.get(EVENT_SESSION_GAP_MS);
        this.outOfOrderMs = s.get(EVENT_OUT_OF_ORDER_MS);
        this.maxUsers = s.get(EVENT_MAX_USERS);
        this.logQ = "on".equals(s.get(EVENT_LOGQ));
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
    public Class<?> payloadType() {
        return UserEvent.class;
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
        public List<String> itemKeys(byte[] history) {
            return UserHistory.fromBytes(history).recent().stream().map(EventKind::itemKey).toList();
        }

        @Override
        public EmbeddingInput embeddingInput(String userId, byte[] history) {
            return new EmbeddingInput(userKey(userId), USER, features.sequence(UserHistory.fromBytes(history).recent()));
        }
    }
}
