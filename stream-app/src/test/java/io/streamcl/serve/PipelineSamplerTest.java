package io.streamcl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.topology.PipelineMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The sampler on a real PipelineMetrics, sampled by hand at chosen times. */
class PipelineSamplerTest {

    @Test
    void shouldSampleEachFigureAndLeaveGapsWhereThereIsNoneYet() {
        PipelineMetrics metrics = new PipelineMetrics();
        DashboardSeries series = new DashboardSeries(List.of("image"), 100);
        try (PipelineSampler sampler = unscheduled(metrics, series)) {
            sampler.sample(0);
            for (int i = 0; i < 3; i++) {
                metrics.itemIn("image");
            }
            metrics.embeddingsOut("image", 2, 2);
            metrics.deadLetter("decode");
            for (int i = 0; i < 10; i++) {
                metrics.trainedStep("image", 2.5f, 4);
            }
            sampler.sample(2000);
            metrics.modelPublished("image", 4, 40);
            metrics.modelServed("image", 3);
            metrics.backfill("image/0_0", 3, 5, 20);
            metrics.probeFigures("image", 0.25, -1.5, 0.4);
            for (int i = 0; i < 10; i++) {
                metrics.trainedStep("image", 2.0f, 4);
            }
            sampler.sample(4000);
        }
        Map<?, ?> image = (Map<?, ?>) ((Map<?, ?>) series.toJson().get("kinds")).get("image");
        assertThat(image.get("itemsIn")).isEqualTo(List.of(0.0, 3.0, 3.0));
        assertThat(image.get("itemsEmbedded")).isEqualTo(List.of(0.0, 2.0, 2.0));
        assertThat(image.get("loss")).as("no loss before the first step").isEqualTo(Arrays.asList(null, 2.5, 2.0));
        assertThat(image.get("stepsPerSecond")).isEqualTo(Arrays.asList(null, 5.0, 5.0));
        assertThat(image.get("publishedVersion")).isEqualTo(Arrays.asList(null, null, 4.0));
        assertThat(image.get("servedVersion")).isEqualTo(Arrays.asList(null, null, 3.0));
        assertThat(image.get("backfillPercent")).isEqualTo(Arrays.asList(null, null, 25.0));
        assertThat(image.get("probeAlignment")).isEqualTo(Arrays.asList(null, null, 0.25));
        assertThat(image.get("probeUniformity")).isEqualTo(Arrays.asList(null, null, -1.5));
        assertThat(series.toJson().get("deadLetters")).isEqualTo(List.of(0.0, 1.0, 1.0));
    }

    @Test
    void shouldTakeTheServedVersionFromTheEmbeddersOnAnInstanceWithoutTheTrainer() {
        PipelineMetrics metrics = new PipelineMetrics();
        DashboardSeries series = new DashboardSeries(List.of("image"), 100);
        metrics.modelInUse("image", 7);
        try (PipelineSampler sampler = unscheduled(metrics, series)) {
            sampler.sample(0);
        }
        Map<?, ?> image = (Map<?, ?>) ((Map<?, ?>) series.toJson().get("kinds")).get("image");
        assertThat(image.get("servedVersion")).isEqualTo(List.of(7.0));
    }

    /** A sampler nobody schedules: the test samples it. */
    private static PipelineSampler unscheduled(PipelineMetrics metrics, DashboardSeries series) {
        return new PipelineSampler(metrics, series, Executors.newSingleThreadScheduledExecutor());
    }
}
