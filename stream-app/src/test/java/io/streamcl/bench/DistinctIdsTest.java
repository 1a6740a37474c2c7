package io.streamcl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DistinctIdsTest {

    @Test
    void aReembeddedIdShouldCountOnce() {
        DistinctIds ids = new DistinctIds("mem-");
        assertThat(ids.add("mem-0")).isTrue();
        assertThat(ids.add("mem-999999")).isTrue();
        assertThat(ids.add("mem-0")).isFalse();
        assertThat(ids.count()).isEqualTo(2);
    }

    @Test
    void otherIdsShouldNotCount() {
        DistinctIds ids = new DistinctIds("mem-");
        for (String other : new String[] {null, "", "mem-", "fresh-1", "mem-x", "mem--1", "mem-99999999999"}) {
            assertThat(ids.add(other)).as(other).isFalse();
        }
        assertThat(ids.count()).isZero();
    }
}
