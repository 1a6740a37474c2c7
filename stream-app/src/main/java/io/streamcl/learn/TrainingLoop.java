package io.streamcl.learn;

import io.streamcl.schema.serde.ChunkedBytes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link ItemLearner} on a thread of its own, so whoever feeds it never waits for a step: the
 * feeder {@link #offer}s items and collects {@link #takeSnapshots() snapshots}; the loop moves offered
 * items into the learner before every step, steps while the learner is full, and once no item has
 * come for {@code linger}, trains on what it holds and then snapshots the result.
 *
 * <p>Items wait in a queue while the learner is full. When items come faster than steps and more than
 * {@code maxBacklog} wait, the excess goes into the learner anyway, which makes room by dropping the uses
 * of the items it has learned from the most: the loop samples its input rather than fall further behind.
 *
 * <p>A loop made by {@link #inCaller} has no thread: it works when its feeder calls {@link #runDue}, by the
 * feeder's clock, so that a test sees exactly what a thread would do without waiting for one.
 *
 * @param <I> the decoded item
 */
public final class TrainingLoop<I> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    /** What {@link #turn} returns when the loop should take its next turn at once. */
    private static final long GO_ON = -1;

    /**
     * The parameters after {@code step} steps, with what the learner had seen by then.
     *
     * @param checkpoint the whole trainer state ({@link ContrastiveTrainer#checkpoint()}) when one was due,
     *     else null
     * @param health how the parameters fare on the probe, beside the served version; null when not measured
     * @param caughtUp nothing was left to train on when it was made (no pending uses, no item on its way in)
     * @param itemsOffered items ever offered to this kind's trainer when it was made, counting those offered
     *     before a restart (see {@link #TrainingLoop}'s {@code offeredBefore})
     * @param firstPending the sequence number of the oldest item still owed training when it was made
     *     ({@code itemsOffered} when none is): a trainer restored from its checkpoint must be offered every item
     *     from there on again
     */
    public record Snapshot(long step, byte[] parameters, float loss, long itemsSeen, long pendingUses,
            long usesDropped, ChunkedBytes checkpoint, Health health, boolean caughtUp, long itemsOffered,
            long firstPending) {

        Snapshot withoutCheckpoint() {
            return checkpoint == null ? this : new Snapshot(step, parameters, loss, itemsSeen, pendingUses,
                    usesDropped, null, health, caughtUp, itemsOffered, firstPending);
        }
    }

    /**
     * What the promotion gate judges a snapshot on, measured on the loop's thread so that the stream
     * thread never waits for it.
     *
     * @param figures the snapshot's figures on the probe; null while it has fewer than 2 pairs
     * @param served the served version's figures on the same probe; null when none is served or the probe
     *     is still filling
     * @param servedVersion the version {@code served} belongs to, -1 when none
     * @param probeFull whether the probe holds all its pairs (only then are figures compared)
     * @param newlyFullProbe the probe's bytes, once, with the first snapshot after it filled (to be saved
     *     with the checkpoint); else null
     */
    public record Health(boolean parametersFinite, ProbeFigures figures, ProbeFigures served, long servedVersion,
            boolean probeFull, byte[] newlyFullProbe) {}

    /**
     * The version the gate compares against, as the feeder last told the loop; its parameters are decoded only
     * when measured, so that the loop keeps no copy of them.
     */
    private record Served(long version, Supplier<byte[]> parameters) {}

    private record Offered<I>(String id, I item, long seq) {}

    private final ItemLearner<I> learner;
    private final int maxBacklog;
    private final int snapshotEvery;
    private final long lingerNanos;
    private final long checkpointNanos;
    private final Consumer<StepResult> onStep;
    private final String name;
    /** Nanoseconds, as {@link System#nanoTime}. */
    private final LongSupplier clock;
    private final BlockingQueue<Offered<I>> incoming = new LinkedBlockingQueue<>();
    private final ArrayDeque<Snapshot> snapshots = new ArrayDeque<>(); // guarded by itself
    /** Null for a loop run by its caller. */
    private final Thread thread;
    private final int intraOpThreads;
    private volatile boolean stopped;
    private volatile long learnerPendingUses;
    // offered items not yet counted in learnerPendingUses: an item leaves this count only after the learner's
    // count includes it, so pendingUses() never reads zero while an item is on its way in
    private final AtomicLong notYetCounted = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private volatile Throwable failure;
    private volatile Served served;
    private Served measuredServed;
    private ProbeFigures servedFigures;
    private boolean probeSaved;
    private long lastSnapshotStep;
    /** A step at a multiple of snapshotEvery passed while the feeder had not taken the last snapshot. */
    private boolean snapshotOwed;
    /** Whether the last snapshot had nothing left to learn; an item offered since makes it false. */
    private volatile boolean lastSnapshotCaughtUp = true;
    private long lastCheckpointAt;
    /** The step and the count of items offered that the last checkpoint (or the state the loop began from) holds. */
    private long checkpointStep;
    private long checkpointOffered;
    private long lastItemAt;
    private float lastLoss = Float.NaN;

    /**
     * Starts the loop.
     *
     * @param name the thread's name
     * @param maxBacklog items that may wait for room in the learner before it starts dropping uses
     * @param snapshotEvery a snapshot every this many steps, and when the loop has caught up
     * @param linger how long without items before it trains on what it holds
     * @param checkpointEvery how often a snapshot also carries a checkpoint; an idle loop whose state has moved
     *     since its last one makes one, at the same step, once this long has passed
     * @param onStep told of every step, on the loop's thread
     */
    public TrainingLoop(String name, ItemLearner<I> learner, int maxBacklog, int snapshotEvery, Duration linger,
            Duration checkpointEvery, Consumer<StepResult> onStep) {
        this(name, learner, maxBacklog, snapshotEvery, linger, checkpointEvery, onStep, 0);
    }

    /**
     * @param offeredBefore items offered to this kind's trainer before it (re)started: snapshots count every
     *     item ever offered, so that a reader can tell they have seen all it was given
     */
    public TrainingLoop(String name, ItemLearner<I> learner, int maxBacklog, int snapshotEvery, Duration linger,
            Duration checkpointEvery, Consumer<StepResult> onStep, long offeredBefore) {
        this(name, learner, maxBacklog, snapshotEvery, linger, checkpointEvery, onStep, offeredBefore, 0);
    }

    /**
     * @param intraOpThreads how many threads libtorch runs the loop's operators on; 0 leaves libtorch's default
     *     (one per core, or OMP_NUM_THREADS)
     */
    public TrainingLoop(String name, ItemLearner<I> learner, int maxBacklog, int snapshotEvery, Duration linger,
            Duration checkpointEvery, Consumer<StepResult> onStep, long offeredBefore, int intraOpThreads) {
        this(name, learner, maxBacklog, snapshotEvery, linger, checkpointEvery, onStep, offeredBefore, System::nanoTime,
                true, intraOpThreads);
    }

    /**
     * A loop without a thread, as the public constructor's parameters: it trains only inside {@link #runDue},
     * on the caller's thread, and measures its linger and checkpoint interval on {@code clockNanos}.
     */
    public static <I> TrainingLoop<I> inCaller(String name, ItemLearner<I> learner, int maxBacklog,
            int snapshotEvery, Duration linger, Duration checkpointEvery, Consumer<StepResult> onStep,
            long offeredBefore, LongSupplier clockNanos) {
        return new TrainingLoop<>(name, learner, maxBacklog, snapshotEvery, linger, checkpointEvery, onStep,
                offeredBefore, clockNanos, false, 0);
    }

    private TrainingLoop(String name, ItemLearner<I> learner, int maxBacklog, int snapshotEvery, Duration linger,
            Duration checkpointEvery, Consumer<StepResult> onStep, long offeredBefore, LongSupplier clock,
            boolean ownThread, int intraOpThreads) {
        if (snapshotEvery < 1 || maxBacklog < 0 || intraOpThreads < 0) {
            throw new IllegalArgumentException("need snapshotEvery >= 1, maxBacklog >= 0 and intraOpThreads >= 0, got "
                    + snapshotEvery + ", " + maxBacklog + ", " + intraOpThreads);
        }
        this.intraOpThreads = intraOpThreads;
        this.learner = learner;
        this.maxBacklog = maxBacklog;
        this.snapshotEvery = snapshotEvery;
        this.lingerNanos = linger.toNanos();
        this.checkpointNanos = checkpointEvery.toNanos();
        this.onStep = onStep;
        this.name = name;
        this.clock = clock;
        this.offered.set(offeredBefore);
        this.lastSnapshotStep = learner.trainer().steps();
        this.probeSaved = learner.probe().isFull(); // restored with the checkpoint, which already holds it
        this.lastCheckpointAt = clock.getAsLong();
        this.lastItemAt = lastCheckpointAt;
        this.checkpointStep = lastSnapshotStep;
        this.checkpointOffered = offeredBefore;
        if (ownThread) {
            this.thread = new Thread(this::run, name);
            this.thread.setDaemon(true);
            this.thread.start();
        } else {
            this.thread = null;
        }
    }

    /**
     * Hands an item to the loop; never blocks. Its sequence number is the count of items offered before it. One
     * feeder thread only.
     */
    public void offer(String id, I item) {
        throwIfFailed();
        notYetCounted.incrementAndGet();
        incoming.add(new Offered<>(id, item, offered.get()));
        offered.incrementAndGet(); // after: a snapshot that counts the item finds it in the queue or the learner
    }

    /**
     * Hands back an item offered before a restart that the restarted trainer has not learned from (its
     * checkpoint is older than the item's last use): it keeps its sequence number and is not counted as offered
     * again. Call before any {@link #offer}, oldest first.
     *
     * @throws IllegalArgumentException if {@code seq} is not one of the items offered before
     */
    public void offerAgain(long seq, String id, I item) {
        throwIfFailed();
        if (seq < 0 || seq >= offered.get()) {
            throw new IllegalArgumentException("item " + id + " has sequence number " + seq + ", yet only "
                    + offered.get() + " items were offered before");
        }
        notYetCounted.incrementAndGet();
        incoming.add(new Offered<>(id, item, seq));
    }

    /** Snapshots made since the last call, oldest first. */
    public List<Snapshot> takeSnapshots() {
        throwIfFailed();
        synchronized (snapshots) {
            List<Snapshot> out = new ArrayList<>(snapshots);
            snapshots.clear();
            return out;
        }
    }

    /**
     * Makes the loop publish a snapshot once it has nothing to learn, even without a step: the newest
     * snapshot on record (from before a restart) still claims training that the restart dropped.
     */
    public void snapshotWhenIdle() {
        lastSnapshotCaughtUp = false;
    }

    /**
     * The version now served, which the next snapshots are measured beside; null parameters: none.
     *
     * @param parameters called on the loop's thread, once, when the loop measures the version
     */
    public void served(long version, Supplier<byte[]> parameters) {
        served = parameters == null ? null : new Served(version, parameters);
    }

    /** Training still owed: uses of items held by the learner, plus items not yet handed to it. */
    public long pendingUses() {
        long waiting = notYetCounted.get(); // first: see the field's comment
        return waiting + learnerPendingUses;
    }

    /**
     * For a loop made by {@link #inCaller}: does, before it returns, all that the loop's thread would do by the
     * clock's time with no more items coming. A loop on its own thread needs no turn: this returns at once.
     */
    public void runDue() {
        if (thread != null || stopped || failure != null) {
            return;
        }
        try {
            while (true) {
                // where the thread would wait for an item, the caller's item is there already or does not come
                if (turn() != GO_ON && !handOver(incoming.poll())) {
                    return;
                }
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    private void run() {
        if (intraOpThreads > 0) {
            IntraOpThreads.setForThisThread(intraOpThreads);
        }
        try {
            while (!stopped) {
                long wait = turn();
                if (wait != GO_ON) {
                    waitForItem(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** One turn of the loop: the nanoseconds it now waits for an item, or {@link #GO_ON}. */
    private long turn() {
        if (moveIncoming() > 0) {
            lastItemAt = clock.getAsLong();
        }
        if (learner.isFull()) {
            afterStep(learner.stepIfFull());
            return GO_ON;
        }
        long idle = clock.getAsLong() - lastItemAt;
        if (idle < lingerNanos) {
            return lingerNanos - idle;
        }
        StepResult r = learner.drainStep();
        if (r != null) {
            afterStep(r);
            return GO_ON;
        }
        if (learner.trainer().steps() > lastSnapshotStep || !lastSnapshotCaughtUp) {
            snapshot(checkpointDue()); // caught up: publish the last steps, marked as all there is
        } else if (checkpointDue() && movedSinceCheckpoint()) {
            snapshot(true); // still idle: its state, which owes nothing to any item offered, is kept now
        }
        learnerPendingUses = learner.pendingUses();
        return lingerNanos;
    }

    private void failed(Throwable t) {
        failure = t;
        LOG.error("training loop {} failed", name, t);
    }

    /** Waits up to the given time for an item and hands it to the learner. */
    private void waitForItem(long nanos) throws InterruptedException {
        handOver(incoming.poll(Math.max(1, nanos), TimeUnit.NANOSECONDS));
    }

    /** Hands a waiting item to the learner; false when there was none. */
    private boolean handOver(Offered<I> o) {
        if (o == null) {
            return false;
        }
        learner.offer(o.id(), o.item(), o.seq());
        lastSnapshotCaughtUp = false;
        learnerPendingUses = learner.pendingUses();
        notYetCounted.decrementAndGet();
        return true;
    }

    /** Fills the learner from the queue, and samples (see the class comment) past the backlog limit. */
    private int moveIncoming() {
        int n = 0;
        while (!learner.isFull() || incoming.size() > maxBacklog) {
            Offered<I> o = incoming.poll();
            if (o == null) {
                break;
            }
            learner.offer(o.id(), o.item(), o.seq());
            lastSnapshotCaughtUp = false;
            n++;
        }
        learnerPendingUses = learner.pendingUses();
        notYetCounted.addAndGet(-n);
        return n;
    }

    private void afterStep(StepResult r) {
        if (r.applied()) {
            lastLoss = r.loss();
        }
        learnerPendingUses = learner.pendingUses();
        onStep.accept(r);
        if (r.applied() && r.step() % snapshotEvery == 0) {
            snapshotOwed = true;
        }
        if (snapshotOwed && !feederBehind()) {
            snapshot(checkpointDue());
        }
    }

    /**
     * Whether the next snapshot should carry a checkpoint. Catching up does not make one due: a checkpoint is the
     * trainer's whole state (over 100 MB for a 131,072-row table and its moments), written by the stream thread
     * that also feeds this loop and embeds, and a bulk load that pauses for a second (a busy producer, the first
     * version's own write) would otherwise have it written again each time, stalling that thread for seconds
     * while the items wait (BENCHMARKS.md, Sentences, 2026-12-07). An idle loop makes the one it owes once the
     * interval has passed.
     */
    private boolean checkpointDue() {
        return clock.getAsLong() - lastCheckpointAt >= checkpointNanos;
    }

    /** Whether the trainer stepped, or was offered an item, since its last checkpoint. */
    private boolean movedSinceCheckpoint() {
        return learner.trainer().steps() != checkpointStep || offered.get() != checkpointOffered;
    }

    /**
     * Whether a loop on its own thread still holds a snapshot its feeder has not taken: it then makes the next one
     * only after the feeder took it, at the first step after. A snapshot holds the parameters (34 MB for a
     * 131,072-row table), and a feeder slower than the steps (a busy producer) would otherwise find a queue of them
     * and publish them all. A loop run by its caller makes every one: its caller takes them after each turn.
     */
    private boolean feederBehind() {
        if (thread == null) {
            return false;
        }
        synchronized (snapshots) {
            return !snapshots.isEmpty();
        }
    }

    private void snapshot(boolean withCheckpoint) {
        long step = learner.trainer().steps();
        long offeredNow = offered.get(); // first: an item offered after this is pending below, or in a later snapshot
        long pending = notYetCounted.get() + learner.pendingUses(); // the learner's count is fresh on its thread
        boolean caughtUp = pending == 0;
        Offered<I> waiting = incoming.peek(); // this thread alone takes from the queue, oldest first
        long firstPending = Math.min(Math.min(offeredNow, learner.oldestHeld()),
                waiting == null ? Long.MAX_VALUE : waiting.seq());
        ChunkedBytes checkpoint = null;
        if (withCheckpoint) {
            synchronized (snapshots) { // before the new one is written, so that memory never holds both
                dropCheckpointsNotTaken();
            }
            checkpoint = learner.trainer().checkpoint();
            lastCheckpointAt = clock.getAsLong();
            checkpointStep = step;
            checkpointOffered = offeredNow;
        }
        byte[] parameters = learner.trainer().saveParameters();
        Snapshot made = new Snapshot(step, parameters, lastLoss, learner.itemsSeen(), pending,
                learner.usesDropped(), checkpoint, health(parameters), caughtUp, offeredNow, firstPending);
        synchronized (snapshots) {
            snapshots.add(made);
        }
        lastSnapshotStep = step;
        lastSnapshotCaughtUp = caughtUp;
        snapshotOwed = false;
    }

    /**
     * A new checkpoint supersedes those still waiting to be taken: only the newest is worth storing, and a
     * checkpoint can be 100 MB (a large text table and its moments), so a stream thread that falls behind must
     * not leave a queue of them on the heap.
     */
    private void dropCheckpointsNotTaken() {
        List<Snapshot> waiting = new ArrayList<>(snapshots);
        snapshots.clear();
        waiting.forEach(s -> snapshots.add(s.withoutCheckpoint()));
    }

    private Health health(byte[] parameters) {
        ProbeSet probe = learner.probe();
        boolean full = probe.isFull();
        boolean finite = learner.trainer().parametersFinite();
        ProbeFigures figures = finite && probe.size() >= 2 ? measure(probe, parameters) : null;
        Served now = served;
        if (!full || now == null) {
            servedFigures = null;
            measuredServed = null;
        } else if (measuredServed != now) { // a new served version, or the probe just filled
            servedFigures = measureServed(probe, now);
            measuredServed = now;
        }
        byte[] newlyFull = null;
        if (full && !probeSaved) {
            newlyFull = probe.toBytes();
            probeSaved = true;
        }
        return new Health(finite, figures, servedFigures,
                now == null ? -1 : now.version(), full, newlyFull);
    }

    /** The served version's figures; null (nothing to compare with) when its parameters cannot be used. */
    private ProbeFigures measureServed(ProbeSet probe, Served now) {
        try {
            return measure(probe, now.parameters().get());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: the served v{} cannot be measured ({}); snapshots are judged on their own figures",
                    name, now.version(), e.getMessage());
            return null;
        }
    }

    private ProbeFigures measure(ProbeSet probe, byte[] parameters) {
        ContrastiveTrainer t = learner.trainer();
        try (Embedder e = new Embedder(t.spec(), parameters, t.device())) {
            return probe.measure(e);
        }
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw new IllegalStateException("training loop " + name + " failed: " + failure, failure);
        }
    }

    /** Stops the loop (a step under way finishes first) and closes the learner. */
    @Override
    public void close() {
        stopped = true;
        if (thread == null) {
            learner.close();
            return;
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofMinutes(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("training loop {} did not stop within a minute; its learner is left open", name);
            return;
        }
        learner.close();
    }
}
