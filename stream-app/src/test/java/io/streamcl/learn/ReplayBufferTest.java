package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    @Test
    void shouldUseEveryItemExactlyUsesPerItemTimes() {
        ReplayBuffer<Integer> buffer = new ReplayBuffer<>(64, 3, 1);
        Map<Integer, Integer> uses = new HashMap<>();
        int next = 0;
        while (next < 1000 || buffer.size() > 0) {
            while (next < 1000 && !buffer.isFull()) {
                buffer.add(next, next++);
            }
            for (ReplayBuffer.Draw<Integer> d : buffer.take(16)) {
                assertThat(d.use()).isEqualTo(uses.getOrDefault(d.item(), 0));
                uses.merge(d.item(), 1, Integer::sum);
            }
        }
        assertThat(uses).hasSize(1000);
        assertThat(uses.values()).allMatch(u -> u == 3);
        assertThat(buffer.pendingUses()).isZero();
    }

    @Test
    void shouldDrawDistinctItemsInABatch() {
        ReplayBuffer<Integer> buffer = new ReplayBuffer<>(100, 5, 2);
        for (int i = 0; i < 100; i++) {
            buffer.add(i, i);
        }
        List<ReplayBuffer.Draw<Integer>> batch = buffer.take(50);
        Set<Integer> seen = new HashSet<>();
        batch.forEach(d -> seen.add(d.item()));
        assertThat(seen).hasSize(50);
        assertThat(buffer.take(500)).hasSize(100); // never more than held
    }

    @Test
    void shouldMakeRoomByDroppingTheMostUsedItem() {
        ReplayBuffer<String> buffer = new ReplayBuffer<>(3, 4, 0);
        buffer.add("a", 0);
        buffer.add("b", 1);
        buffer.take(2); // a and b used once
        buffer.take(2); // two of them used again (only a, b... and nothing else is held)
        buffer.add("c", 2);
        assertThat(buffer.pendingUses()).isEqualTo(2 + 2 + 4);
        assertThat(buffer.evictMostUsed()).isEqualTo(2);
        assertThat(buffer.size()).isEqualTo(2);
        assertThat(buffer.pendingUses()).isEqualTo(2 + 4);
    }

    @Test
    void shouldRefuseItemsWhenFull() {
        ReplayBuffer<String> buffer = new ReplayBuffer<>(1, 1, 0);
        buffer.add("a", 0);
        assertThatThrownBy(() -> buffer.add("b", 1)).isInstanceOf(IllegalStateException.class);
        assertThat(buffer.pendingUses()).isEqualTo(1);
    }

    @Test
    void shouldTellTheOldestItemStillOwedTraining() {
        ReplayBuffer<String> buffer = new ReplayBuffer<>(4, 1, 0);
        assertThat(buffer.oldestSeq()).isEqualTo(Long.MAX_VALUE);
        buffer.add("a", 7);
        buffer.add("b", 8);
        buffer.add("c", 9);
        assertThat(buffer.oldestSeq()).isEqualTo(7);
        List<ReplayBuffer.Draw<String>> used = buffer.take(1); // one use each: the drawn item leaves
        long left = Set.of(7L, 8L, 9L).stream().filter(s -> s != 7 + "abc".indexOf(used.get(0).item()))
                .mapToLong(Long::longValue).min().orElseThrow();
        assertThat(buffer.oldestSeq()).isEqualTo(left);
        buffer.take(2);
        assertThat(buffer.oldestSeq()).isEqualTo(Long.MAX_VALUE);
    }
}
