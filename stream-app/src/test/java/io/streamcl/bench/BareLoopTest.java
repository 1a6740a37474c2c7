package io.streamcl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamcl.config.Settings;
import io.streamcl.ingest.SentenceText;
import io.streamcl.kind.KindRegistry;
import io.streamcl.kind.SentenceKind;
import io.streamcl.learn.ContrastiveTrainer;
import io.streamcl.learn.ReplayPlan;
import io.streamcl.topology.LearnerTopology;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BareLoopTest {

    @Test
    void shouldLearnEveryItemInFullAndTimeEachPhase() {
        Settings s = KindRegistry.standard().defaultSettings().with(Map.of("sentence.vocab-size", "256", "sentence.token-dim", "8",
                "embedding.dim", "8", "projection.dim", "4", "bank.size", "8", "device", "cpu"));
        SentenceKind kind = new SentenceKind(s);
        List<String> ids = IntStream.range(0, 40).mapToObj(i -> "s" + i).toList();
        List<List<String>> items = ids.stream().map(id -> SentenceText.words("sentence " + id + " of the bench")).toList();
        BareLoop.Result r = BareLoop.run(kind, () -> new ContrastiveTrainer(kind.encoderSpec(),
                LearnerTopology.trainerConfig(s), Device.cpu(), null, 0), new ReplayPlan(4, 8, 2, 1), ids, items);
        assertThat(r.items()).isEqualTo(40);
        assertThat(r.steps()).isBetween(40L * 2 / 4, 40L * 2 / 4 + 2); // full batches, but for the last items
        // the window runs from the end of the first step to the end of the last, inside the run
        assertThat(r.stepWindow()).isPositive().isLessThan(r.seconds());
        assertThat(r.sustainedItemsPerSecond()).as("NaN without two steps and a window").isPositive();
        assertThat(r.phases()).hasSize(BareLoop.PHASES.size());
        assertThat(java.util.Arrays.stream(r.phases()).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
        // each phase's median step time (ms) is at most its longest, and the phases of all steps add up to
        // no more than the run: phases in another unit than ms (ns, us) would break this
        assertThat(java.util.Arrays.stream(r.phases()).sum()).as("ms").isPositive()
                .isLessThanOrEqualTo(r.seconds() * 1000);
    }
}
