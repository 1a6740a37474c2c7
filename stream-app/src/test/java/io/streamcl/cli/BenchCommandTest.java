package io.streamcl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void shouldWriteTheCsvAndPlotsBesideTheReportWhenNotToldWhere() {
        // a sweep written to /tmp must not overwrite the repository's benchmarks.csv and plots
        assertThat(BenchCommand.orBesideOut(null, Path.of("/tmp/runs/sweep.md"), "benchmarks.csv"))
                .isEqualTo(Path.of("/tmp/runs/benchmarks.csv"));
        assertThat(BenchCommand.orBesideOut(null, Path.of("BENCHMARKS.md"), "benchmarks-sweep.png"))
                .isEqualTo(Path.of("benchmarks-sweep.png"));
    }

    @Test
    void shouldKeepAFileTheUserNamed() {
        assertThat(BenchCommand.orBesideOut(Path.of("elsewhere/figures.csv"), Path.of("/tmp/runs/sweep.md"),
                "benchmarks.csv")).isEqualTo(Path.of("elsewhere/figures.csv"));
    }
}
