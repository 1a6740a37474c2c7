package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The row-wise (lazy) update of lookup tables against the dense one it stands in for. */
class AdamOptimizerTest {
    private static final int VOCAB = 8;
    private static final int DIM = 3;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private HashedBag bag() {
        HashedBag bag = new HashedBag(VOCAB, DIM);
        Engine.getInstance().setRandomSeed(3);
        bag.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
        return bag;
    }

    /** One forward of the bag over these ids, the sum of its output as the loss, and its backward. */
    private void backward(HashedBag bag, float... ids) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = bag.forward(new ParameterStore(manager, false), new NDList(manager.create(ids, new Shape(1,
                    ids.length))), true).singletonOrThrow();
            collector.backward(out.mul(manager.create(new float[] {1f, -2f, 0.5f})).sum());
        }
    }

    /** As {@link #backward(HashedBag, float...)}, the bag recording the rows it reads into touches. */
    private RowTouches backwardTouching(HashedBag bag, float... ids) {
        RowTouches touches = RowTouches.startOn(bag);
        try {
            backward(bag, ids);
        } finally {
            touches.stop();
        }
        return touches;
    }

    private static float[][] rows(HashedBag bag) {
        float[] flat = bag.getParameters().get(0).getValue().getArray().toFloatArray();
        float[][] rows = new float[VOCAB][];
        for (int i = 0; i < VOCAB; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * DIM, (i + 1) * DIM);
        }
        return rows;
    }

    @Test
    void rowWiseUpdateMovesOnlyTheRowsAStepTouchedAndMovesThemAsDenseAdamWould() {
        HashedBag dense = bag();
        HashedBag lazy = bag();
        AdamOptimizer denseAdam = new AdamOptimizer(0.1f, LearningRateSchedule.CONSTANT, manager);
        AdamOptimizer lazyAdam = new AdamOptimizer(0.1f, LearningRateSchedule.CONSTANT, manager,
                HashedBag.tableIds(lazy));
        assertThat(HashedBag.tableIds(lazy)).hasSize(1);
        float[][] start = rows(lazy);

        backward(dense, 1, 2);
        backward(lazy, 1, 2);
        denseAdam.update(dense.getParameters());
        lazyAdam.update(lazy.getParameters());
        float[][] afterOne = rows(lazy);
        assertThat(afterOne).isDeepEqualTo(rows(dense)); // the first step: m and v of untouched rows are zero anyway
        assertThat(afterOne[1]).isNotEqualTo(start[1]);
        assertThat(afterOne[3]).isEqualTo(start[3]);
        assertThat(lazy.getParameters().get(0).getValue().getArray().getGradient().abs().sum().getFloat())
                .isZero();

        backward(dense, 3, 0); // 0 is padding: only row 3 has a gradient
        backward(lazy, 3, 0);
        denseAdam.update(dense.getParameters());
        lazyAdam.update(lazy.getParameters());
        float[][] afterTwo = rows(lazy);
        float[][] denseTwo = rows(dense);
        assertThat(afterTwo[1]).isEqualTo(afterOne[1]); // lazy: momentum does not carry an untouched row on
        assertThat(denseTwo[1]).isNotEqualTo(afterOne[1]);
        for (int d = 0; d < DIM; d++) {
            assertThat(afterTwo[3][d]).isCloseTo(denseTwo[3][d], within(1e-6f));
        }
        assertThat(afterTwo[3]).isNotEqualTo(start[3]);
        assertThat(afterTwo[0]).isEqualTo(start[0]);
    }

    @Test
    void aTableRateFactorScalesHowFarATouchedRowMoves() {
        HashedBag once = bag();
        HashedBag thrice = bag();
        AdamOptimizer plain = new AdamOptimizer(0.01f, LearningRateSchedule.CONSTANT, manager,
                HashedBag.tableIds(once));
        AdamOptimizer faster = new AdamOptimizer(0.01f, LearningRateSchedule.CONSTANT, manager,
                HashedBag.tableIds(thrice), 3f);
        float[][] start = rows(once);
        backward(once, 1, 2);
        plain.update(once.getParameters());
        backward(thrice, 1, 2);
        faster.update(thrice.getParameters());
        float[][] moved = rows(once);
        float[][] movedFaster = rows(thrice);
        for (int d = 0; d < DIM; d++) {
            assertThat(movedFaster[1][d] - start[1][d]).isCloseTo(3 * (moved[1][d] - start[1][d]), within(1e-5f));
        }
        assertThat(movedFaster[3]).isEqualTo(start[3]); // untouched rows stay where they were
    }

    @Test
    void rowsReadIntoTouchesMoveAsTheTablesOwnGradientMovesThem() {
        HashedBag byGradient = bag();
        HashedBag byTouches = bag();
        AdamOptimizer one = new AdamOptimizer(0.1f, LearningRateSchedule.CONSTANT, manager,
                HashedBag.tableIds(byGradient));
        AdamOptimizer other = new AdamOptimizer(0.1f, LearningRateSchedule.CONSTANT, manager,
                HashedBag.tableIds(byTouches));
        float[][] start = rows(byTouches);
        for (float[] ids : new float[][] {{1, 2, 2, 0}, {3, 1, 0, 0}, {5, 5, 5, 2}}) {
            backward(byGradient, ids);
            one.update(byGradient.getParameters());
            RowTouches touches = backwardTouching(byTouches, ids);
            other.update(byTouches.getParameters(), touches);
        }
        float[][] expected = rows(byGradient);
        float[][] actual = rows(byTouches);
        for (int r = 0; r < VOCAB; r++) {
            for (int d = 0; d < DIM; d++) {
                assertThat(actual[r][d]).as("row %d, %d", r, d).isCloseTo(expected[r][d], within(1e-6f));
            }
        }
        assertThat(byTouches.getParameters().get(0).getValue().getArray().getGradient().abs().sum().getFloat())
                .isZero(); // the rows' gradients went to the touches, not through the table
        assertThat(actual[5]).isNotEqualTo(start[5]);
        assertThat(actual[4]).isEqualTo(start[4]); // never read
    }

    /** Two forwards of one step, their outputs' weighted sums added as the loss. */
    private void backwardTwice(HashedBag bag, float[] first, float[] second) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray a = bag.forward(ps, new NDList(manager.create(first, new Shape(1, first.length))), true)
                    .singletonOrThrow();
            NDArray b = bag.forward(ps, new NDList(manager.create(second, new Shape(1, second.length))), true)
                    .singletonOrThrow();
            NDArray weights = manager.create(new float[] {1f, -2f, 0.5f});
            collector.backward(a.mul(weights).sum().add(b.mul(weights).sum()));
        }
    }

    @Test
    void rowsTwoForwardsOfAStepReadTakeTheSumOfTheirGradients() {
        HashedBag byGradient = bag();
        HashedBag byTouches = bag();
        AdamOptimizer one = new AdamOptimizer(0.1f, LearningRateSchedule.CONSTANT, manager,
                HashedBag.tableIds(byGradient));
        AdamOptimizer other = new AdamOptimizer(0.1f, LearningRateSchedule.CONSTANT, manager,
                HashedBag.tableIds(byTouches));
        float[] first = {1, 2, 0};
        float[] second = {2, 2, 4}; // row 2 read by both
        backwardTwice(byGradient, first, second);
        one.update(byGradient.getParameters());
        RowTouches touches = RowTouches.startOn(byTouches);
        try {
            backwardTwice(byTouches, first, second);
        } finally {
            touches.stop();
        }
        other.update(byTouches.getParameters(), touches);
        float[][] expected = rows(byGradient);
        float[][] actual = rows(byTouches);
        for (int r = 0; r < VOCAB; r++) {
            for (int d = 0; d < DIM; d++) {
                assertThat(actual[r][d]).as("row %d, %d", r, d).isCloseTo(expected[r][d], within(1e-6f));
            }
        }
    }

    @Test
    void parametersOutsideTheRowWiseSetTakeTheDenseUpdate() {
        HashedBag plain = bag();
        HashedBag other = bag();
        AdamOptimizer adam = new AdamOptimizer(0.1f, LearningRateSchedule.CONSTANT, manager, Set.of("not a table"));
        AdamOptimizer dense = new AdamOptimizer(0.1f, LearningRateSchedule.CONSTANT, manager);
        for (float[] ids : new float[][] {{1, 2}, {3, 4}}) {
            backward(plain, ids);
            backward(other, ids);
            adam.update(plain.getParameters());
            dense.update(other.getParameters());
        }
        assertThat(rows(plain)).isDeepEqualTo(rows(other));
    }

    @Test
    void aBatchOfPaddingOnlyMovesNoRow() {
        HashedBag bag = bag();
        AdamOptimizer adam = new AdamOptimizer(0.1f, LearningRateSchedule.CONSTANT, manager, HashedBag.tableIds(bag));
        float[][] start = rows(bag);
        backward(bag, 0, 0);
        adam.update(bag.getParameters());
        assertThat(rows(bag)).isDeepEqualTo(start);
    }
}
