package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamcl.augment.SequenceAugmenter;
import io.streamcl.eval.NextItemEvaluation;
import io.streamcl.ingest.EventFeatures;
import io.streamcl.ingest.EventRow;
import io.streamcl.ingest.SyntheticEvents;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The event encoder learns planted tastes from co-occurrence alone: trained on every user's events but the
 * last, in stream order with replay, a user's embedding ranks their held-out next item higher than the
 * most-popular list does.
 */
class EventLearningTest {
    private static final long SEED = 42;
    private static final int VOCAB = 4096;
    private static final int SLOTS = 10;
    private static final int BATCH = 128;

    @Test
    void userEmbeddingShouldBeatMostPopularOnNextItemHitRate() {
        SyntheticEvents gen = SyntheticEvents.builder().users(400).items(200).clusters(10).eventsPerUser(15)
                .seed(SEED).build();
        List<EventRow> rows = gen.generate();
        Map<String, List<String>> histories = NextItemEvaluation.histories(rows);
        Map<String, Integer> left = new HashMap<>();
        histories.forEach((u, h) -> left.put(u, h.size()));

        EventFeatures features = new EventFeatures(VOCAB, SLOTS, 1);
        EventEncoderSpec spec = new EventEncoderSpec(VOCAB, SLOTS, 1, 32, 64, 32);
        EventPairs pairs = new EventPairs(features, new SequenceAugmenter(), 50, 3_600_000, 0, 100_000);
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.99f,
                1024, 0.003f, SEED);
        long t0 = System.nanoTime();
        byte[] trained;
        StepResult last = null;
        try (EventLearner learner = new EventLearner(new ContrastiveTrainer(spec, config, Device.cpu(), null, 0),
                pairs, new ItemFrequency(), BATCH, 1024, 5, true, SEED)) {
            for (EventRow r : rows) {
                if (left.merge(r.userId(), -1, Integer::sum) == 0) {
                    continue; // the held-out last item
                }
                while (learner.isFull()) {
                    last = learner.stepIfFull();
                }
                learner.offer(r.userId(), r.itemId(), r.itemAttributes(), r.timestampMillis());
            }
            for (StepResult r = learner.drainStep(); r != null; r = learner.drainStep()) {
                last = r;
            }
            trained = learner.trainer().saveParameters();
            System.out.printf("events: %d examples, %d steps in %.1f s; last step %s%n", learner.examplesSeen(),
                    learner.trainer().steps(), (System.nanoTime() - t0) / 1e9, last);
        }

        Map<String, float[]> itemVectors = new HashMap<>();
        Map<String, float[]> userVectors = new HashMap<>();
        try (Embedder embedder = new Embedder(spec, trained, Device.cpu())) {
            List<String> items = gen.itemIds();
            List<float[]> inputs = new ArrayList<>();
            items.forEach(i -> inputs.add(features.item(i, Map.of())));
            float[][] v = embedder.embed(inputs);
            for (int i = 0; i < items.size(); i++) {
                itemVectors.put(items.get(i), v[i]);
            }
            List<String> users = new ArrayList<>(histories.keySet());
            List<float[]> userInputs = new ArrayList<>();
            users.forEach(u -> {
                List<String> h = histories.get(u);
                userInputs.add(features.sequence(h.subList(0, h.size() - 1)));
            });
            float[][] uv = embedder.embed(userInputs);
            for (int i = 0; i < users.size(); i++) {
                userVectors.put(users.get(i), uv[i]);
            }
        }
        NextItemEvaluation.Result learned = NextItemEvaluation.evaluate(histories, userVectors, itemVectors,
                NextItemEvaluation.Options.DEFAULT);
        NextItemEvaluation.Result popular = NextItemEvaluation.mostPopular(histories, itemVectors.keySet(),
                NextItemEvaluation.Options.DEFAULT);
        System.out.printf("next item on %d users: learned HR@10 %.3f NDCG@10 %.3f; most popular HR@10 %.3f NDCG@10 %.3f%n",
                learned.users(), learned.hitRate(), learned.ndcg(), popular.hitRate(), popular.ndcg());
        assertThat(learned.hitRate()).as("learned HitRate@10").isGreaterThanOrEqualTo(1.2 * popular.hitRate());
    }
}
