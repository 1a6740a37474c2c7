package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

/**
 * Every use is trained unless the backlog overflows, then the loop samples; most cases run the loop in this
 * thread on a clock of the test's, so that they see what its own thread would do, exactly and at once.
 */
class TrainingLoopTest {
    private static final int BATCH = 4;
    private static final int USES = 2;
    private static final Duration LINGER = Duration.ofMillis(50);

    @Test
    void shouldTrainEveryUseOfEveryItemWhenTheBacklogHasRoom() {
        Run run = runInCaller(40, 1_000);
        assertThat(run.dropped).isZero();
        // every use but one: the last item left alone has no negative to train with (how the 79 fall into
        // 20 steps of at most 4 distinct items is the replay buffer's seeded draw)
        assertThat(run.pairs).isEqualTo(40L * USES - 1);
        assertThat(run.last.step()).isEqualTo(20);
        assertThat(run.last.itemsSeen()).isEqualTo(40);
        assertThat(run.last.checkpoint()).as("catching up within the checkpoint interval makes none").isNull();
        assertThat(run.snapshots).as("one snapshot, once the stream went quiet for the linger").hasSize(1);
    }

    @Test
    void shouldCheckpointAnIdleLoopOnceTheIntervalHasPassedSinceItsLastCheckpoint() {
        SentenceKind kind = kind();
        AtomicLong clock = new AtomicLong();
        Duration interval = Duration.ofSeconds(10);
        try (TrainingLoop<List<String>> loop = TrainingLoop.inCaller("test-trainer",
                kind.learner(trainer(kind), new ReplayPlan(BATCH, 8, USES, 1)), 1_000, 1_000, LINGER, interval,
                r -> { }, 0, clock::get)) {
            for (int i = 0; i < 40; i++) {
                loop.offer("s" + i, SentenceText.words("sentence number " + i + " of the stream"));
            }
            loop.runDue();
            clock.addAndGet(LINGER.toNanos());
            loop.runDue();
            List<TrainingLoop.Snapshot> caughtUp = loop.takeSnapshots();
            assertThat(caughtUp).hasSize(1);
            assertThat(caughtUp.get(0).caughtUp()).isTrue();
            assertThat(caughtUp.get(0).checkpoint()).isNull();

            clock.addAndGet(interval.toNanos() - LINGER.toNanos() - 1);
            loop.runDue();
            assertThat(loop.takeSnapshots()).as("the interval not yet over").isEmpty();

            clock.addAndGet(1);
            loop.runDue();
            List<TrainingLoop.Snapshot> idle = loop.takeSnapshots();
            assertThat(idle).as("the checkpoint it owed, at the step it caught up at").hasSize(1);
            assertThat(idle.get(0).step()).isEqualTo(caughtUp.get(0).step());
            assertThat(idle.get(0).caughtUp()).isTrue();
            assertThat(idle.get(0).checkpoint()).isNotNull();
            assertThat(idle.get(0).firstPending()).as("it owes nothing to any item offered").isEqualTo(40);

            clock.addAndGet(3 * interval.toNanos());
            loop.runDue();
            assertThat(loop.takeSnapshots()).as("nothing learned since: nothing more to keep").isEmpty();
        }
    }

    @Test
    void shouldTrainEveryUseOfEveryItemOnItsOwnThread() throws Exception {
        Run run = runOnThread(40, 1_000);
        assertThat(run.dropped).isZero();
        assertThat(run.pairs).isBetween(40L * USES - USES, 40L * USES);
        assertThat(run.last.step()).isBetween(40L * USES / BATCH, 40L * USES / BATCH + 2);
        assertThat(run.last.itemsSeen()).isEqualTo(40);
        assertThat(run.last.checkpoint()).as("catching up within the checkpoint interval makes none").isNull();
    }

    @Test
    void shouldRunItsStepsOnTheLibtorchThreadsItWasGiven() throws Exception {
        assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self")),
                "the per-thread count needs libgomp found through /proc (Linux)");
        SentenceKind kind = kind();
        List<String> words = SentenceText.words("a sentence for a step");
        List<Integer> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TrainingLoop<List<String>> loop = new TrainingLoop<>("test-trainer",
                kind.learner(trainer(kind), new ReplayPlan(BATCH, 1_000, USES, 1)), 1_000, 1_000, LINGER,
                Duration.ofHours(1), r -> threads.add(IntraOpThreads.ofThisThread()), 0, 1)) {
            for (int i = 0; i < 2 * BATCH; i++) {
                loop.offer("s" + i, words);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (threads.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertThat(threads).as("libtorch threads of the loop's thread at each step").isNotEmpty().containsOnly(1);
    }

    @Test
    void shouldKeepOnlyTheNewestCheckpointAmongSnapshotsNotYetTaken() {
        // a checkpoint with every snapshot, and a snapshot every step: a stream thread that takes them late must
        // find one trainer state to store, not one per step (each can be ~100 MB)
        SentenceKind kind = kind();
        AtomicLong clock = new AtomicLong();
        try (TrainingLoop<List<String>> loop = TrainingLoop.inCaller("test-trainer",
                kind.learner(trainer(kind), new ReplayPlan(BATCH, 8, USES, 1)), 1_000, 1, LINGER,
                Duration.ZERO, r -> { }, 0, clock::get)) {
            for (int i = 0; i < 40; i++) {
                loop.offer("s" + i, SentenceText.words("sentence number " + i + " of the stream"));
            }
            loop.runDue();
            clock.addAndGet(LINGER.toNanos());
            loop.runDue();
            List<TrainingLoop.Snapshot> taken = loop.takeSnapshots();
            assertThat(taken).as("a snapshot a step").hasSizeGreaterThan(2);
            assertThat(taken.subList(0, taken.size() - 1)).allSatisfy(s -> assertThat(s.checkpoint()).isNull());
            assertThat(taken.get(taken.size() - 1).checkpoint()).as("the newest").isNotNull();
            assertThat(taken).extracting(TrainingLoop.Snapshot::step).isSorted();
        }
    }

    @Test
    void shouldMakeNoNewSnapshotOnItsThreadWhileTheFeederHasNotTakenTheLast() throws Exception {
        // a snapshot due every step, and a feeder that takes none until training is over: a queue of one per step
        // (each holds the parameters, 34 MB for a large table) would wait for it; the loop holds back instead
        SentenceKind kind = kind();
        AtomicLong steps = new AtomicLong();
        try (TrainingLoop<List<String>> loop = new TrainingLoop<>("test-trainer",
                kind.learner(trainer(kind), new ReplayPlan(BATCH, 8, USES, 1)), 1_000, 1, LINGER,
                Duration.ofHours(1), r -> steps.incrementAndGet())) {
            for (int i = 0; i < 40; i++) {
                loop.offer("s" + i, SentenceText.words("sentence number " + i + " of the stream"));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && (loop.pendingUses() > 0 || steps.get() < 10)) {
                Thread.sleep(20);
            }
            Thread.sleep(3 * LINGER.toMillis()); // the caught-up snapshot
            List<TrainingLoop.Snapshot> waiting = loop.takeSnapshots();
            assertThat(steps.get()).as("steps, each due a snapshot").isGreaterThanOrEqualTo(10);
            assertThat(waiting).as("the first step's, and the caught-up one").hasSize(2);
            assertThat(waiting.get(1).caughtUp()).isTrue();

            for (int i = 0; i < BATCH; i++) {
                loop.offer("late" + i, SentenceText.words("one more sentence " + i + " after the feeder took them"));
            }
            List<TrainingLoop.Snapshot> after = new ArrayList<>();
            while (System.nanoTime() < deadline && (after.isEmpty() || !after.get(after.size() - 1).caughtUp())) {
                Thread.sleep(20);
                after.addAll(loop.takeSnapshots());
            }
            assertThat(after).as("taken: it snapshots again").isNotEmpty();
            assertThat(after.get(after.size() - 1).itemsSeen()).isEqualTo(40 + BATCH);
        }
    }

    @Test
    void shouldSampleWhenMoreItemsWaitThanTheBacklogAllows() {
        Run run = runInCaller(200, 0);
        // no backlog: all 200 go into the replay buffer of 8 at once, so 192 of them give up both their uses
        assertThat(run.dropped).as("uses dropped").isEqualTo(192L * USES);
        // the 8 kept items' 16 uses but the lone last one, in 4 steps of the seeded draw
        assertThat(run.pairs).isEqualTo(8L * USES - 1);
        assertThat(run.last.step()).isEqualTo(4);
        assertThat(run.last.itemsSeen()).isEqualTo(200);
    }

    @Test
    void shouldWaitForTheLingerBeforeItTrainsAShortBatch() {
        AtomicLong clock = new AtomicLong();
        SentenceKind kind = kind();
        AtomicLong steps = new AtomicLong();
        try (TrainingLoop<List<String>> loop = TrainingLoop.inCaller("test-trainer",
                kind.learner(trainer(kind), new ReplayPlan(BATCH, 8, USES, 1)), 1_000, 1000, LINGER,
                Duration.ofHours(1), r -> steps.incrementAndGet(), 0, clock::get)) {
            for (int i = 0; i < 3; i++) { // fewer than a batch: nothing to step on until the stream goes quiet
                loop.offer("s" + i, SentenceText.words("sentence number " + i));
                loop.runDue();
            }
            clock.addAndGet(LINGER.toNanos() - 1);
            loop.runDue();
            assertThat(steps.get()).as("steps a nanosecond before the linger is over").isZero();
            assertThat(loop.takeSnapshots()).isEmpty();
            assertThat(loop.pendingUses()).isEqualTo(3L * USES);

            clock.incrementAndGet();
            loop.runDue();
            assertThat(loop.pendingUses()).isZero();
            List<TrainingLoop.Snapshot> snapshots = loop.takeSnapshots();
            assertThat(snapshots).singleElement().satisfies(s -> {
                assertThat(s.caughtUp()).isTrue();
                assertThat(s.itemsSeen()).isEqualTo(3);
                assertThat(s.step()).isEqualTo(steps.get()).isPositive();
            });
        }
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

    private record Run(TrainingLoop.Snapshot last, long pairs, long dropped, List<TrainingLoop.Snapshot> snapshots) {}

    private static SentenceKind kind() {
        return new SentenceKind(KindRegistry.standard().defaultSettings().with(Map.of("sentence.vocab-size", "256", "sentence.token-dim",
                "8", "embedding.dim", "8", "projection.dim", "4", "bank.size", "8")));
    }

    private static ContrastiveTrainer trainer(SentenceKind kind) {
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.99f, 8,
                0.003f, 1);
        return new ContrastiveTrainer(kind.encoderSpec(), config, Device.cpu(), null, 0);
    }

    /** Offers every item to a loop run by this thread, then lets the linger pass once. */
    private static Run runInCaller(int items, int maxBacklog) {
        SentenceKind kind = kind();
        AtomicLong pairs = new AtomicLong();
        AtomicLong clock = new AtomicLong();
        List<TrainingLoop.Snapshot> snapshots = new ArrayList<>();
        try (TrainingLoop<List<String>> loop = TrainingLoop.inCaller("test-trainer",
                kind.learner(trainer(kind), new ReplayPlan(BATCH, 8, USES, 1)), maxBacklog, 1000, LINGER,
                Duration.ofHours(1), r -> pairs.addAndGet(r.batchSize()), 0, clock::get)) {
            // all offered before the loop's first turn: as many wait at once as ever can
            for (int i = 0; i < items; i++) {
                loop.offer("s" + i, SentenceText.words("sentence number " + i + " of the stream"));
            }
            loop.runDue();
            snapshots.addAll(loop.takeSnapshots());
            assertThat(snapshots).as("snapshots before the stream went quiet").isEmpty();
            clock.addAndGet(LINGER.toNanos());
            loop.runDue();
            snapshots.addAll(loop.takeSnapshots());
            assertThat(loop.pendingUses()).isZero();
        }
        return run(snapshots, pairs.get());
    }

    private static Run runOnThread(int items, int maxBacklog) throws InterruptedException {
        SentenceKind kind = kind();
        AtomicLong pairs = new AtomicLong();
        List<TrainingLoop.Snapshot> snapshots = new ArrayList<>();
        try (TrainingLoop<List<String>> loop = new TrainingLoop<>("test-trainer",
                kind.learner(trainer(kind), new ReplayPlan(BATCH, 8, USES, 1)), maxBacklog, 1000, LINGER,
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
        return run(snapshots, pairs.get());
    }

    private static Run run(List<TrainingLoop.Snapshot> snapshots, long pairs) {
        assertThat(snapshots).as("a snapshot once caught up").isNotEmpty();
        TrainingLoop.Snapshot last = snapshots.get(snapshots.size() - 1);
        assertThat(last.pendingUses()).isZero();
        return new Run(last, pairs, last.usesDropped(), snapshots);
    }
}
