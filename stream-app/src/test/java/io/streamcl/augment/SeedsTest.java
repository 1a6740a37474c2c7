package io.streamcl.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeedsTest {

    private static long[] firstLongs(SplittableRandom r) {
        return new long[] {r.nextLong(), r.nextLong(), r.nextLong()};
    }

    @Test
    void shouldGiveSameStreamForSameInputs() {
        assertThat(firstLongs(Seeds.forView(42, "item-7", 3, 1)))
                .isEqualTo(firstLongs(Seeds.forView(42, "item-7", 3, 1)));
    }

    @Test
    void shouldGiveDifferentStreamWhenAnyInputChanges() {
        long base = Seeds.forView(42, "item-7", 3, 1).nextLong();
        assertThat(Seeds.forView(43, "item-7", 3, 1).nextLong()).isNotEqualTo(base);
        assertThat(Seeds.forView(42, "item-8", 3, 1).nextLong()).isNotEqualTo(base);
        assertThat(Seeds.forView(42, "item-7", 4, 1).nextLong()).isNotEqualTo(base);
        assertThat(Seeds.forView(42, "item-7", 3, 0).nextLong()).isNotEqualTo(base);
    }

    @Test
    void shouldNotCollideOverManyNearbyInputs() {
        Set<Long> seen = new HashSet<>();
        int n = 0;
        for (int id = 0; id < 200; id++) {
            for (int occ = 0; occ < 10; occ++) {
                for (int view = 0; view < 2; view++) {
                    seen.add(Seeds.forView(0, "id-" + id, occ, view).nextLong());
                    n++;
                }
            }
        }
        assertThat(seen).hasSize(n);
    }

    @Test
    void shouldMixSwappedFieldsDifferently() {
        // occurrence and view are folded in at different steps, so swapping them changes the stream
        assertThat(Seeds.forView(1, "a", 0, 1).nextLong()).isNotEqualTo(Seeds.forView(1, "a", 1, 0).nextLong());
    }

    @Test
    void shouldSpreadBitsEvenly() {
        // each of the 64 bits of the first draw is set for roughly half of 4000 consecutive ids
        int n = 4000;
        int[] ones = new int[64];
        for (int i = 0; i < n; i++) {
            long v = Seeds.forView(0, Integer.toString(i), 0, 0).nextLong();
            for (int b = 0; b < 64; b++) {
                ones[b] += (int) ((v >>> b) & 1);
            }
        }
        for (int b = 0; b < 64; b++) {
            assertThat(ones[b]).as("bit %d", b).isBetween(n / 2 - 200, n / 2 + 200);
        }
    }
}
