package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryBankTest {

    private static final int DIM = 2;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Keys whose content identifies them: the row of id i is (i, -i). */
    private static NDArray keysFor(NDManager m, long... ids) {
        float[] flat = new float[ids.length * DIM];
        for (int i = 0; i < ids.length; i++) {
            flat[i * DIM] = ids[i];
            flat[i * DIM + 1] = -ids[i];
        }
        return m.create(flat, new Shape(ids.length, DIM));
    }

    private static float[] expectedKeys(long... ids) {
        float[] flat = new float[ids.length * DIM];
        for (int i = 0; i < ids.length; i++) {
            flat[i * DIM] = ids[i];
            flat[i * DIM + 1] = -ids[i];
        }
        return flat;
    }

    private void enqueue(MemoryBank bank, long... ids) {
        try (NDManager step = manager.newSubManager()) {
            bank.enqueue(keysFor(step, ids), ids);
        }
    }

    private void assertContent(MemoryBank bank, long... idsInSlotOrder) {
        assertThat(bank.ids()).containsExactly(idsInSlotOrder);
        assertThat(bank.size()).isEqualTo(idsInSlotOrder.length);
        assertThat(bank.keysRowMajor()).containsExactly(expectedKeys(idsInSlotOrder));
        try (NDManager step = manager.newSubManager()) {
            NDArray keys = bank.keys(step);
            assertThat(keys.getShape()).isEqualTo(new Shape(idsInSlotOrder.length, DIM));
            assertThat(keys.getManager()).isSameAs(step);
            assertThat(keys.toFloatArray()).containsExactly(expectedKeys(idsInSlotOrder));
        }
    }

    @Test
    void shouldStartEmpty() {
        try (MemoryBank bank = new MemoryBank(manager, 5, DIM)) {
            assertThat(bank.capacity()).isEqualTo(5);
            assertThat(bank.dim()).isEqualTo(DIM);
            assertThat(bank.nextSlot()).isZero();
            assertContent(bank);
            try (NDManager step = manager.newSubManager()) {
                assertThat(bank.isSelf(new long[] {1, 2}, step).getShape()).isEqualTo(new Shape(2, 0));
            }
        }
    }

    @Test
    void shouldKeepTheNewestKeysInRingOrder() {
        try (MemoryBank bank = new MemoryBank(manager, 5, DIM)) {
            enqueue(bank, 1, 2);
            assertContent(bank, 1, 2); // slots 0-1
            assertThat(bank.nextSlot()).isEqualTo(2);

            enqueue(bank, 3, 4, 5);
            assertContent(bank, 1, 2, 3, 4, 5); // full
            assertThat(bank.nextSlot()).isZero();

            enqueue(bank, 6, 7);
            assertContent(bank, 6, 7, 3, 4, 5); // 1 and 2, the oldest, were overwritten in slots 0-1
            assertThat(bank.nextSlot()).isEqualTo(2); // slot 2 (id 3) is now the oldest
        }
    }

    @Test
    void shouldWrapABatchAroundTheEndOfTheRing() {
        try (MemoryBank bank = new MemoryBank(manager, 5, DIM)) {
            enqueue(bank, 1, 2, 3);
            enqueue(bank, 4, 5, 6, 7); // 4, 5 -> slots 3, 4; 6, 7 wrap to slots 0, 1
            assertContent(bank, 6, 7, 3, 4, 5);
            assertThat(bank.nextSlot()).isEqualTo(2);
        }
    }

    @Test
    void batchLargerThanCapacityShouldKeepTheNewestRowsWhereSequentialWritesWouldPutThem() {
        try (MemoryBank bank = new MemoryBank(manager, 3, DIM)) {
            enqueue(bank, 1); // slot 0, next 1
            enqueue(bank, 2, 3, 4, 5, 6); // one by one: 2->1, 3->2, 4->0, 5->1, 6->2
            assertContent(bank, 4, 5, 6);
            assertThat(bank.nextSlot()).isZero(); // (1 + 5) mod 3
        }
    }

    @Test
    void sizeShouldGrowUntilCapacity() {
        try (MemoryBank bank = new MemoryBank(manager, 7, DIM)) {
            int[] expected = {3, 6, 7, 7};
            for (int i = 0; i < expected.length; i++) {
                enqueue(bank, 10L * i, 10L * i + 1, 10L * i + 2);
                assertThat(bank.size()).isEqualTo(expected[i]);
                if (bank.size() < bank.capacity()) {
                    assertThat(bank.nextSlot()).isEqualTo(bank.size());
                }
            }
        }
    }

    @Test
    void shouldBehaveLikeOneByOneWritesForRandomBatchSizes() {
        Random rnd = new Random(31);
        int capacity = 11;
        long[] slots = new long[capacity];
        int next = 0;
        int size = 0;
        long id = 0;
        try (MemoryBank bank = new MemoryBank(manager, capacity, DIM)) {
            for (int step = 0; step < 200; step++) {
                long[] batch = new long[rnd.nextInt(2 * capacity + 2)];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = id++;
                    slots[next] = batch[i];
                    next = (next + 1) % capacity;
                    size = Math.min(capacity, size + 1);
                }
                enqueue(bank, batch);
                assertThat(bank.nextSlot()).isEqualTo(next);
                assertThat(bank.ids()).containsExactly(Arrays.copyOf(slots, size));
            }
            assertThat(bank.keysRowMajor()).containsExactly(expectedKeys(Arrays.copyOf(slots, size)));
        }
    }

    @Test
    void isSelfShouldMarkExactlyTheSlotsHoldingTheQueryItem() {
        try (MemoryBank bank = new MemoryBank(manager, 6, DIM);
                NDManager step = manager.newSubManager()) {
            enqueue(bank, 6, 7, 3, 4, 3); // id 3 twice (two views of the same item)
            NDArray self = bank.isSelf(new long[] {3, 9, 6, 4}, step);
            assertThat(self.getShape()).isEqualTo(new Shape(4, 5));
            assertThat(self.getDataType()).isEqualTo(DataType.BOOLEAN);
            assertThat(self.getManager()).isSameAs(step);
            boolean[] want = {
                false, false, true, false, true, // 3
                false, false, false, false, false, // 9: not in the bank
                true, false, false, false, false, // 6
                false, false, false, true, false // 4
            };
            assertThat(self.toBooleanArray()).containsExactly(want);
        }
    }

    @Test
    void keysShouldBeACopyUnaffectedByLaterEnqueues() {
        try (MemoryBank bank = new MemoryBank(manager, 2, DIM);
                NDManager step = manager.newSubManager()) {
            enqueue(bank, 1, 2);
            NDArray keys = bank.keys(step);
            enqueue(bank, 3, 4);
            assertThat(keys.toFloatArray()).containsExactly(expectedKeys(1, 2));
        }
    }

    @Test
    void enqueuedKeysShouldNotCarryAutogradState() {
        try (MemoryBank bank = new MemoryBank(manager, 4, DIM);
                NDManager step = manager.newSubManager()) {
            NDArray x = keysFor(step, 1, 2);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray key = x.mul(step.create(2f)); // part of a graph
                bank.enqueue(key, new long[] {1, 2});
                gc.backward(key.sum());
            }
            NDArray keys = bank.keys(step);
            assertThat(keys.hasGradient()).isFalse();
            assertThat(keys.toFloatArray()).containsExactly(2, -2, 4, -4);
        }
    }

    @Test
    void restoreShouldRoundTripAFullWrappedBank() {
        try (MemoryBank bank = new MemoryBank(manager, 5, DIM);
                MemoryBank copy = new MemoryBank(manager, 5, DIM)) {
            enqueue(bank, 1, 2, 3, 4, 5, 6, 7);
            copy.restore(bank.keysRowMajor(), bank.ids(), bank.nextSlot());
            assertThat(copy.size()).isEqualTo(5);
            assertThat(copy.nextSlot()).isEqualTo(bank.nextSlot());
            assertContent(copy, 6, 7, 3, 4, 5);

            enqueue(bank, 8);
            enqueue(copy, 8);
            assertContent(copy, bank.ids());
            assertContent(copy, 6, 7, 8, 4, 5);
        }
    }

    @Test
    void restoreShouldRoundTripAPartlyFilledBank() {
        try (MemoryBank bank = new MemoryBank(manager, 5, DIM);
                MemoryBank copy = new MemoryBank(manager, 5, DIM)) {
            enqueue(copy, 9, 9, 9, 9, 9); // overwritten by the restore
            enqueue(bank, 1, 2);
            copy.restore(bank.keysRowMajor(), bank.ids(), bank.nextSlot());
            assertContent(copy, 1, 2);
            assertThat(copy.nextSlot()).isEqualTo(2);
            enqueue(copy, 3);
            assertContent(copy, 1, 2, 3);
        }
    }

    @Test
    void restoreShouldRejectInconsistentState() {
        try (MemoryBank bank = new MemoryBank(manager, 3, DIM)) {
            assertThatThrownBy(() -> bank.restore(new float[8], new long[4], 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most capacity");
            assertThatThrownBy(() -> bank.restore(new float[3], new long[2], 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keysRowMajor");
            assertThatThrownBy(() -> bank.restore(new float[4], new long[2], 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nextSlot must be 2");
            assertThatThrownBy(() -> bank.restore(new float[6], new long[3], 3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nextSlot must be in [0, 3)");
            assertThat(bank.size()).isZero();
        }
    }

    @Test
    void capacityZeroShouldMeanNoBank() {
        try (MemoryBank bank = new MemoryBank(manager, 0, DIM);
                NDManager step = manager.newSubManager()) {
            bank.enqueue(keysFor(step, 1, 2), new long[] {1, 2});
            assertThat(bank.size()).isZero();
            assertThat(bank.nextSlot()).isZero();
            assertThat(bank.ids()).isEmpty();
            assertThat(bank.keysRowMajor()).isEmpty();
            NDArray keys = bank.keys(step);
            NDArray self = bank.isSelf(new long[] {1, 2}, step);
            assertThat(keys.getShape()).isEqualTo(new Shape(0, DIM));
            assertThat(self.getShape()).isEqualTo(new Shape(2, 0));
            bank.restore(new float[0], new long[0], 0);

            // the loss treats it as "in-batch negatives only"
            NDArray q = keysFor(step, 1, 2);
            NDArray k = keysFor(step, 3, -4);
            InfoNceLoss loss = new InfoNceLoss(0.5f, Similarity.COSINE);
            assertThat(loss.compute(q, k, keys, self).getFloat()).isEqualTo(loss.compute(q, k, null, null).getFloat());
        }
    }

    @Test
    void shouldFeedInfoNceWithSelfExclusion() {
        Random rnd = new Random(37);
        try (MemoryBank bank = new MemoryBank(manager, 6, 4);
                NDManager step = manager.newSubManager()) {
            float[][] old = Naive.gaussian(rnd, 6, 4);
            long[] oldIds = {10, 11, 12, 10, 13, 14};
            bank.enqueue(Naive.nd(step, old), oldIds);
            float[][] q = Naive.gaussian(rnd, 3, 4);
            float[][] k = Naive.gaussian(rnd, 3, 4);
            long[] batchIds = {10, 15, 14};
            boolean[][] self = new boolean[3][6];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 6; j++) {
                    self[i][j] = batchIds[i] == oldIds[j];
                }
            }
            float got = new InfoNceLoss(0.2f, Similarity.COSINE)
                    .compute(Naive.nd(step, q), Naive.nd(step, k), bank.keys(step), bank.isSelf(batchIds, step))
                    .getFloat();
            assertThat(Naive.close(got, Naive.infoNce(q, k, old, self, 0.2, Similarity.COSINE), 1e-4)).isTrue();
        }
    }

    @Test
    void thousandCyclesShouldNotGrowTheBankManager() {
        Random rnd = new Random(41);
        try (NDManager bankParent = manager.newSubManager();
                MemoryBank bank = new MemoryBank(bankParent, 64, 8)) {
            int baseline = bankParent.getManagedArrays().size();
            long id = 0;
            for (int cycle = 0; cycle < 1000; cycle++) {
                try (NDManager step = manager.newSubManager()) {
                    int b = 1 + rnd.nextInt(40);
                    long[] ids = new long[b];
                    for (int i = 0; i < b; i++) {
                        ids[i] = id++ % 100;
                    }
                    NDArray keys = step.randomNormal(new Shape(b, 8));
                    NDArray bankKeys = bank.keys(step);
                    NDArray self = bank.isSelf(ids, step);
                    assertThat(self.getShape()).isEqualTo(new Shape(b, bankKeys.getShape().get(0)));
                    bank.enqueue(keys, ids);
                }
                if (cycle % 100 == 0 || cycle == 999) {
                    assertThat(bankParent.getManagedArrays()).as("cycle %d", cycle).hasSize(baseline);
                }
            }
            bank.keysRowMajor();
            bank.restore(bank.keysRowMajor(), bank.ids(), bank.nextSlot());
            assertThat(bankParent.getManagedArrays()).hasSize(baseline);
        }
    }

    @Test
    void enqueueShouldRejectMismatchedInput() {
        try (MemoryBank bank = new MemoryBank(manager, 4, DIM);
                NDManager step = manager.newSubManager()) {
            assertThatThrownBy(() -> bank.enqueue(step.ones(new Shape(2, 3)), new long[] {1, 2}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keys must be (B, 2)");
            assertThatThrownBy(() -> bank.enqueue(step.ones(new Shape(2, DIM)), new long[] {1}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("itemIds");
        }
    }

    @Test
    void constructorShouldRejectBadSizes() {
        assertThatThrownBy(() -> new MemoryBank(manager, -1, DIM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be >= 0, got -1");
        assertThatThrownBy(() -> new MemoryBank(manager, 4, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dim must be >= 1, got 0");
    }

    @Test
    void closeShouldFreeTheBankAndRejectFurtherUse() {
        NDManager bankParent = manager.newSubManager();
        MemoryBank bank = new MemoryBank(bankParent, 4, DIM);
        enqueue(bank, 1, 2);
        assertThat(bankParent.getManagedArrays()).isNotEmpty();
        bank.close();
        bank.close(); // idempotent
        assertThat(bankParent.getManagedArrays()).isEmpty();
        assertThatThrownBy(bank::ids).isInstanceOf(IllegalStateException.class);
        bankParent.close();
    }
}
