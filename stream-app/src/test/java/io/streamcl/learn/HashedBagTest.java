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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bag's two ways to the mean (the sparse product when training, the gather otherwise) against each other. */
class HashedBagTest {
    private static final int VOCAB = 50;
    private static final int DIM = 4;
    private static final int LENGTH = 6;

    /** Three bags: padding inside and at the end, an id twice, and padding only. */
    private static final float[] IDS = {
        3, 0, 7, 9, 0, 0,
        5, 5, 1, 49, 2, 8,
        0, 0, 0, 0, 0, 0};

    private NDManager manager;
    private HashedBag bag;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        Engine.getInstance().setRandomSeed(11);
        bag = new HashedBag(VOCAB, DIM);
        bag.initialize(manager, DataType.FLOAT32, new Shape(3, LENGTH));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private float[] table() {
        return bag.getParameters().get(0).getValue().getArray().toFloatArray();
    }

    private NDArray forward(float[] ids, Shape shape, boolean training) {
        return bag.forward(new ParameterStore(manager, false), new NDList(manager.create(ids, shape)), training)
                .singletonOrThrow();
    }

    /** The mean of a bag's rows of the table, in plain Java. */
    private float[] mean(float[] table, int bag) {
        float[] sum = new float[DIM];
        int count = 0;
        for (int i = bag * LENGTH; i < (bag + 1) * LENGTH; i++) {
            int id = (int) IDS[i];
            if (id != 0) {
                count++;
                for (int d = 0; d < DIM; d++) {
                    sum[d] += table[id * DIM + d];
                }
            }
        }
        for (int d = 0; d < DIM; d++) {
            sum[d] = count == 0 ? 0f : sum[d] / count;
        }
        return sum;
    }

    @Test
    void bothWaysGiveTheMeanOfTheRowsThatAreThereAndZeroForPaddingOnly() {
        float[] table = table();
        for (boolean training : new boolean[] {true, false}) {
            float[] out = forward(IDS, new Shape(3, LENGTH), training).toFloatArray();
            for (int b = 0; b < 3; b++) {
                float[] expected = mean(table, b);
                for (int d = 0; d < DIM; d++) {
                    assertThat(out[b * DIM + d]).as("training=%s bag %d", training, b).isCloseTo(expected[d],
                            within(1e-6f));
                }
            }
            assertThat(Arrays.copyOfRange(out, 2 * DIM, 3 * DIM)).containsOnly(0f);
        }
    }

    @Test
    void keepsTheLeadingAxesOfItsInput() {
        float[] twice = new float[2 * IDS.length];
        System.arraycopy(IDS, 0, twice, 0, IDS.length);
        System.arraycopy(IDS, 0, twice, IDS.length, IDS.length);
        for (boolean training : new boolean[] {true, false}) {
            NDArray out = forward(twice, new Shape(2, 3, LENGTH), training);
            assertThat(out.getShape()).isEqualTo(new Shape(2, 3, DIM));
            float[] v = out.toFloatArray();
            assertThat(Arrays.copyOfRange(v, 0, 3 * DIM)).containsExactly(Arrays.copyOfRange(v, 3 * DIM, 6 * DIM));
        }
    }

    /** The table's gradient of a weighted sum of the bags, by one way or the other. */
    private float[] gradient(boolean training) {
        NDArray table = bag.getParameters().get(0).getValue().getArray();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = forward(IDS, new Shape(3, LENGTH), training);
            churnNativeMemory(); // the backward must not read memory the forward's inputs were built in
            collector.backward(out.mul(manager.create(new float[] {1f, -2f, 0.5f, 3f})).sum());
        }
        float[] g = table.getGradient().toFloatArray();
        table.getGradient().muli(0);
        return g;
    }

    /** Frees and reuses the memory of arrays since dropped: what a busy trainer does between forward and backward. */
    private void churnNativeMemory() {
        for (int i = 0; i < 50; i++) {
            try (NDManager scratch = manager.newSubManager()) {
                scratch.create(new long[2 * IDS.length]).duplicate();
                scratch.create(new float[IDS.length]).add(7f);
            }
            java.nio.ByteBuffer.allocateDirect(1 << 12).putLong(0, -1L);
        }
        System.gc();
    }

    @Test
    void trainingGivesTheGradientTheGatherGivesAndNoneToPaddingOrAbsentIds() {
        float[] sparse = gradient(true);
        float[] gathered = gradient(false);
        for (int i = 0; i < sparse.length; i++) {
            assertThat(sparse[i]).as("gradient %d", i).isCloseTo(gathered[i], within(1e-6f));
        }
        assertThat(Arrays.copyOfRange(sparse, 0, DIM)).as("padding row").containsOnly(0f);
        assertThat(Arrays.copyOfRange(sparse, 4 * DIM, 5 * DIM)).as("an id no bag holds").containsOnly(0f);
        // id 5 is twice in a bag of 6, so its row's gradient is twice that of id 1 in the same bag
        for (int d = 0; d < DIM; d++) {
            assertThat(sparse[5 * DIM + d]).isCloseTo(2 * sparse[DIM + d], within(1e-6f));
            assertThat(sparse[DIM + d]).isNotZero();
        }
    }

    @Test
    void aBatchOfPaddingOnlyTrainsToZeros() {
        NDArray out = forward(new float[2 * LENGTH], new Shape(2, LENGTH), true);
        assertThat(out.getShape()).isEqualTo(new Shape(2, DIM));
        assertThat(out.toFloatArray()).containsOnly(0f);
    }
}
