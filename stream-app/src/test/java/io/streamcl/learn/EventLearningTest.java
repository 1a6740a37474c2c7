package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamcl.augment.SequenceAugmenter;
import io.streamcl.config.Settings;
import io.streamcl.eval.NextItemComparison;
import io.streamcl.eval.NextItemEvaluation;
import io.streamcl.ingest.EventFeatures;
import io.streamcl.ingest.EventRow;
import io.streamcl.ingest.SyntheticEvents;
import io.streamcl.kind.EventKind;
import io.streamcl.kind.KindRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event encoder learns planted tastes from co-occurrence alone: trained on every user's events but the
 * last, in stream order with replay, a user's embedding ranks their held-out next item higher than the
 * most-popular list does.
 */
class EventLearningTest {
    private static final long SEED = 42;
    private static final int BATCH = 128;

    @ParameterizedTest(name = "logQ={0}")
    @ValueSource(booleans = {true, false})
    void userEmbeddingShouldBeatMostPopularOnNextItemHitRate(boolean logQ) {
        SyntheticEvents gen = SyntheticEvents.builder().users(400).items(200).clusters(10).eventsPerUser(15)
                .seed(SEED).build();
        List<EventRow> rows = gen.generate();
        Map<String, List<String>> histories = NextItemEvaluation.histories(rows);
        Map<String, Integer> left = new HashMap<>();
        histories.forEach((u, h) -> left.put(u, h.size()));

        Settings s = KindRegistry.standard().defaultSettings().with(Map.of("event.vocab-size", "4096", "event.slots", "10",
                "event.features-per-item", "1", "embedding.dim", "64", "projection.dim", "32", "bank.size", "1024"));
        EventFeatures features = new EventFeatures(s.get(EventKind.EVENT_VOCAB), s.get(EventKind.EVENT_SLOTS),
                s.get(EventKind.EVENT_FEATURES_PER_ITEM));
        EventEncoderSpec spec = new EventEncoderSpec(s.get(EventKind.EVENT_VOCAB), s.get(EventKind.EVENT_SLOTS),
                s.get(EventKind.EVENT_FEATURES_PER_ITEM), s.get(EventKind.EVENT_TOKEN_DIM), s.get(Settings.EMBEDDING_DIM),
                s.get(Settings.PROJECTION_DIM));
        EventPairs pairs = new EventPairs(features, new SequenceAugmenter(), s.get(EventKind.EVENT_MAX_ITEMS),
                s.get(EventKind.EVENT_SESSION_GAP_MS), 0, s.get(EventKind.EVENT_MAX_USERS));
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE,
                s.get(Settings.TEMPERATURE), 1f, s.get(Settings.MOMENTUM), s.get(Settings.BANK_SIZE),
                s.get(Settings.LEARNING_RATE), SEED);
        long t0 = System.nanoTime();
        byte[] trained;
        StepResult last = null;
        try (EventLearner learner = new EventLearner(new ContrastiveTrainer(spec, config, Device.cpu(), null, 0),
                pairs, new ItemFrequency(), new ReplayPlan(BATCH, 1024, 5, SEED), logQ)) {
            for (EventRow r : rows) {
                if (left.merge(r.userId(), -1, Integer::sum) == 0) {
                    continue; // the held-out last item
                }
                while (learner.isFull()) {
                    last = learner.stepIfFull();
                }
                learner.offer(r.userId() + ":" + r.timestampMillis(), r);
            }
            for (StepResult r = learner.drainStep(); r != null; r = learner.drainStep()) {
                last = r;
            }
            trained = learner.trainer().saveParameters();
            System.out.printf("events: %d examples, %d steps in %.1f s; last step %s%n", learner.examplesSeen(),
                    learner.trainer().steps(), (System.nanoTime() - t0) / 1e9, last);
        }

        Map<String, Map<String, String>> catalogue = new java.util.LinkedHashMap<>();
        gen.itemIds().forEach(i -> catalogue.put(i, Map.of()));
        NextItemComparison cmp = new NextItemComparison(features, histories, catalogue,
                NextItemEvaluation.Options.DEFAULT);
        NextItemEvaluation.Result learned;
        try (Embedder embedder = new Embedder(spec, trained, Device.cpu())) {
            learned = cmp.encoder(embedder);
        }
        NextItemEvaluation.Result popular = cmp.mostPopular();
        System.out.printf("logQ=%s: next item on %d users: learned HR@10 %.3f NDCG@10 %.3f; most popular HR@10 %.3f NDCG@10 %.3f%n",
                logQ, learned.users(), learned.hitRate(), learned.ndcg(), popular.hitRate(), popular.ndcg());
        assertThat(learned.hitRate()).as("learned HitRate@10").isGreaterThanOrEqualTo(1.2 * popular.hitRate());
    }
}
