package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamcl.config.Settings;
import io.streamcl.ingest.RawItemProducer;
import io.streamcl.ingest.RawItems;
import io.streamcl.kind.ItemKinds;
import io.streamcl.kind.KindRegistry;
import io.streamcl.serve.Http;
import io.streamcl.serve.ServedLearner;
import io.streamcl.testing.HeadlessChromium;
import io.streamcl.testing.InJvmLearner;
import io.streamcl.testing.KafkaBrokerExtension;
import io.streamcl.testing.KafkaBrokerExtension.Broker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: headless Chromium opens {@code /?token=...} while the learner trains on a real
 * broker, and the DOM its scripts leave shows that every chart drew data (each writes how many points it drew into
 * {@code data-points}) and that the scatter has a group per label. Skipped where chromium is not installed;
 * {@code .ci/run} installs it.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 300)
class DashboardIT {
    private static final String TOKEN = "dashboard-it-token";
    private static final List<String> CHARTS = List.of("loss", "steps", "items", "dead", "versions", "probe",
            "projection");
    private static final int LABELS = 4;

    @TempDir
    Path tmp;

    private ServedLearner learner;

    @AfterEach
    void stop() {
        if (learner != null) {
            learner.close();
        }
    }

    @Test
    void shouldDrawEveryChartWithDataWhileTheLearnerTrains(Broker broker) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find().orElse(null);
        Assumptions.assumeTrue(chromium != null, "DashboardIT needs Debian's chromium on the PATH, and there is none"
                + " (apt-get install -y chromium; .ci/run installs it)");
        Settings settings = InJvmLearner.settings(broker, tmp, "dashboard-it")
                .with(Map.of("http.port", "0", "http.host", "127.0.0.1", "http.token", TOKEN));
        learner = ServedLearner.start(settings, ItemKinds.fromSettings(settings));
        int port = learner.httpPort().orElseThrow();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.get(port, "/ready", TOKEN).status() == 200);

        String page = "http://127.0.0.1:" + port + "/?token=" + TOKEN;
        Map<String, Integer> points = new LinkedHashMap<>();
        int[] sent = {0};
        int[] series = {0};
        // keep the stream going between looks, so that the page is read while the learner trains
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            sendLabelledImages(settings, sent[0], 40);
            sent[0] += 40;
            String dom = chromium.dumpDom(page, Duration.ofSeconds(6), tmp);
            points.clear();
            for (String chart : CHARTS) {
                Map<String, String> figure = HeadlessChromium.attributesOf(dom, "chart-" + chart);
                points.put(chart, Integer.parseInt(figure.getOrDefault("data-points", "0")));
                if (chart.equals("projection")) {
                    series[0] = Integer.parseInt(figure.getOrDefault("data-series", "0"));
                }
            }
            assertThat(HeadlessChromium.attributesOf(dom, "status").get("class")).as("the status line says no error")
                    .isNotEqualTo("error");
            assertThat(points).as("points drawn per chart").allSatisfy((chart, n) -> assertThat(n).as(chart)
                    .isPositive());
            assertThat(series[0]).as("the scatter's groups, one per label").isEqualTo(LABELS);
        });
        assertThat(learner.metrics().steps("image")).as("the learner trained meanwhile").isPositive();
        System.out.printf("[DashboardIT] %d images sent; points drawn per chart %s; scatter groups %d%n", sent[0],
                points, series[0]);
    }

    /** Random 8x8 images with ids {@code d-<from>...}, labelled by their index modulo {@value #LABELS}. */
    private static void sendLabelledImages(Settings settings, int from, int n) {
        Random random = new Random(from);
        try (RawItemProducer producer = new RawItemProducer(settings.kafkaClientProperties(),
                settings.get(Settings.TOPIC_RAW_ITEMS), KindRegistry.standard()::partitionKey)) {
            for (int i = from; i < from + n; i++) {
                byte[] pixels = new byte[64];
                random.nextBytes(pixels);
                producer.send(RawItems.labelledImage("d-" + i, 1_000L, RawItems.rawU8(8, 8, 1, pixels),
                        Integer.toString(i % LABELS)));
            }
            producer.flush();
        }
    }
}
