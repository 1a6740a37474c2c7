package io.streamcl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.ModelSnapshot;
import io.streamcl.topology.ModelSnapshots;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the models topic says a kind serves, and will serve next. */
class ModelRegistryTest {

    private static ModelSnapshot version(long v, String gate) {
        ModelSnapshot s = ModelSnapshots.of("sentence", "sentence-simclr", v, 100 * v, Map.of("type", "t"), new byte[0],
                Map.of());
        return ModelSnapshot.newBuilder(s).setGate(gate).build();
    }

    @Test
    void theNewestVersionThatPassedTheGateIsWhatComesNextEvenWhenANewerOneWasRefused() {
        ModelRegistry registry = new ModelRegistry();
        registry.add("sentence", version(7, "passed: first version"), null);
        registry.add(ModelSnapshots.servedKey("sentence"), version(7, "passed: first version"), null);
        registry.add("sentence", version(11, "passed: probe top-1 0.52"), null);
        registry.add("sentence", version(12, "refused: probe top-1 0.41 below the served 0.52"), null);

        assertThat(registry.newest("sentence")).get().extracting(ModelSnapshot::getVersion).isEqualTo(12L);
        assertThat(registry.served("sentence")).get().extracting(ModelSnapshot::getVersion).isEqualTo(7L);
        assertThat(registry.newestPassed("sentence")).get().extracting(ModelSnapshot::getVersion).isEqualTo(11L);
        assertThat(registry.newestPassed("image")).isEmpty();
    }
}
