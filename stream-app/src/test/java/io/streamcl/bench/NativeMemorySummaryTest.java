package io.streamcl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeMemorySummaryTest {
    /** The shape of JDK 17's output, cut short. */
    private static final String SUMMARY = """
            12345:

            Native Memory Tracking:

            (Omitting categories weighting less than 1KB)

            Total: reserved=7842512KB, committed=484728KB
                   malloc: 10120KB #61092
                   mmap:   reserved=7832392KB, committed=474608KB

            -                 Java Heap (reserved=6172672KB, committed=397312KB)
                                        (mmap: reserved=6172672KB, committed=397312KB)\s
            \s
            -                     Class (reserved=1048784KB, committed=1360KB)
                                        (classes #2498)
                                        (    reserved=65536KB, committed=7936KB)
            \s
            -    Native Memory Tracking (reserved=968KB, committed=968KB)
                                        (tracking overhead=955KB)
            """;

    @Test
    void shouldReadTheTotalAndEachCategoryCommitted() {
        NativeMemorySummary s = NativeMemorySummary.parse(SUMMARY);
        assertThat(s.committedBytes()).isEqualTo(484728L * 1024);
        assertThat(s.committedByCategory()).containsOnlyKeys("Java Heap", "Class", "Native Memory Tracking");
        assertThat(s.committed("Java Heap")).isEqualTo(397312L * 1024);
        assertThat(s.committed("Class")).isEqualTo(1360L * 1024); // not its Metadata line's
        assertThat(s.committed("Thread")).isZero();
    }

    @Test
    void withoutTrackingThereShouldBeNothing() {
        NativeMemorySummary s = NativeMemorySummary.parse("12345:\nNative memory tracking is not enabled\n");
        assertThat(s.committedBytes()).isEqualTo(-1);
        assertThat(s.committedByCategory()).isEmpty();
    }
}
