package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamcl.config.Settings;
import io.streamcl.ingest.SentenceText;
import io.streamcl.kind.KindRegistry;
import io.streamcl.kind.SentenceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The loop trains on its own thread: every use is trained unless the backlog overflows, then it samples. */
class TrainingLoopTest {
    private static final int BATCH = 4;
    private static final int USES = 2;

    @Test
    void shouldTrainEveryUseOfEveryItemWhenTheBacklogHasRoom() throws Exception {
        Run run = run(40, 1_000);
        assertThat(run.dropped).isZero();
        // every use, but for at most one lone item at the very end, which has no negatives to train with
        assertThat(run.pairs).isBetween(40L * USES - USES, 40L * USES);
        assertThat(run.last.step()).isBetween(40L * USES / BATCH, 40L * USES / BATCH + 2);
        assertThat(run.last.itemsSeen()).isEqualTo(40);
        assertThat(run.last.checkpoint()).as("a caught-up snapshot carries the whole trainer").isNotNull();
    }

    @Test
    void shouldSampleWhenMoreItemsWaitThanTheBacklogAllows() throws Exception {
        Run run = run(200, 0);
        assertThat(run.dropped).as("uses dropped").isPositive();
        // every use is either trained or dropped, but for at most one lone item at the very end
        assertThat(run.pairs + run.dropped).isBetween(200L * USES - USES, 200L * USES);
        assertThat(run.last.itemsSeen()).isEqualTo(200);
    }

    @Test
    void shouldNeverReportLessPendingTrainingThanItHasBeenOffered() throws Exception {
        // a long linger and a large buffer: nothing is trained, so every offered item still owes a use. A reader
        // racing the loop as it moves items into the learner must never see less: it would think training had
        // caught up while items were still on their way in
        SentenceKind kind = kind();
        List<String> words = SentenceText.words("one sentence offered many times");
        AtomicLong offered = new AtomicLong();
        AtomicLong shortest = new AtomicLong(Long.MAX_VALUE); // least pending minus offered seen by the reader
        try (TrainingLoop<List<String>> loop = new TrainingLoop<>("test-trainer",
                kind.learner(trainer(kind), new ReplayPlan(BATCH, 1_000_000, USES, 1)), 10_000_000, 1000,
                Duration.ofMinutes(10), Duration.ofHours(1), r -> { })) {
            Thread reader = new Thread(() -> {
                while (offered.get() < 200_000) {
                    long before = offered.get();
                    shortest.accumulateAndGet(loop.pendingUses() - before, Math::min);
                }
            });
            reader.start();
            for (int i = 0; i < 200_000; i++) {
                loop.offer("s" + i, words);
                offered.incrementAndGet();
            }
            reader.join();
        }
        assertThat(shortest.get()).as("pending uses minus items offered, at its least").isGreaterThanOrEqualTo(0);
    }

    private record Run(TrainingLoop.Snapshot last, long pairs, long dropped) {}

    private static SentenceKind kind() {
        return new SentenceKind(KindRegistry.standard().defaultSettings().with(Map.of("sentence.vocab-size", "256", "sentence.token-dim",
                "8", "embedding.dim", "8", "projection.dim", "4", "bank.size", "8")));
    }

    private static ContrastiveTrainer trainer(SentenceKind kind) {
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.99f, 8,
                0.003f, 1);
        return new ContrastiveTrainer(kind.encoderSpec(), config, Device.cpu(), null, 0);
    }

    private static Run run(int items, int maxBacklog) throws InterruptedException {
        SentenceKind kind = kind();
        ContrastiveTrainer trainer = trainer(kind);
        AtomicLong pairs = new AtomicLong();
        List<TrainingLoop.Snapshot> snapshots = new ArrayList<>();
        try (TrainingLoop<List<String>> loop = new TrainingLoop<>("test-trainer",
                kind.learner(trainer, new ReplayPlan(BATCH, 8, USES, 1)), maxBacklog, 1000, Duration.ofMillis(50),
                Duration.ofHours(1),
                r -> pairs.addAndGet(r.batchSize()))) {
            for (int i = 0; i < items; i++) {
                loop.offer("s" + i, SentenceText.words("sentence number " + i + " of the stream"));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline
                    && (snapshots.isEmpty() || snapshots.get(snapshots.size() - 1).itemsSeen() < items
                        || loop.pendingUses() > 0)) {
                Thread.sleep(20);
                snapshots.addAll(loop.takeSnapshots());
            }
        }
        assertThat(snapshots).as("a snapshot once caught up").isNotEmpty();
        TrainingLoop.Snapshot last = snapshots.get(snapshots.size() - 1);
        assertThat(last.pendingUses()).isZero();
        return new Run(last, pairs.get(), last.usesDropped());
    }
}
