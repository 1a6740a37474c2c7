package io.streamcl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Users script against BENCHMARKS.md and benchmarks.csv: their layout is pinned here. */
class BenchReportTest {

    private static List<SectionReport> twoSections() {
        SectionReport header = new SectionReport().text("# Benchmarks%n%n");
        SectionReport section = new SectionReport().heading("Latency: from produce to a readable embedding");
        double p99 = section.figure("latency", "produce to embedding", "p99_ms", 12.34567);
        section.figure("speedups", "fresh JVM, allocator tuning \"on\"", "median_ms", Double.NaN);
        section.table(List.of("items timed", "p99 (ms)"), List.of(List.of("7", SectionReport.f1(p99))));
        section.text("Target: p99 at most 500 ms.%n");
        return List.of(header, section);
    }

    @Test
    void markdownShouldHoldTheBlocksInOrderWithAHeadingPerSection() {
        assertThat(BenchReport.markdown(twoSections())).isEqualTo("""
                # Benchmarks


                ## Latency: from produce to a readable embedding

                | items timed | p99 (ms) |
                |---|---|
                | 7 | 12.3 |

                Target: p99 at most 500 ms.
                """);
    }

    @Test
    void csvShouldHaveFourColumnsFourDecimalsQuotingWhereNeededAndNothingForNaN() {
        assertThat(BenchReport.csv(twoSections())).isEqualTo("""
                section,subject,metric,value
                latency,produce to embedding,p99_ms,12.3457
                speedups,"fresh JVM, allocator tuning ""on\""",median_ms,
                """);
    }
}
