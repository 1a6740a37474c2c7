package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.ModelSnapshot;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trainer holds one version under several names (published, candidate, promoted): one copy of its parameters. */
class ModelSnapshotsTest {
    private static final byte[] PARAMETERS = {1, 2, 3, 4, 5, 6, 7, 8};

    @Test
    void shouldShareTheParametersOfTheSnapshotItPromotes() {
        ModelSnapshot s = ModelSnapshots.of("sentence", "m", 3, 30, Map.of("dim", "4"), PARAMETERS, Map.of());
        ModelSnapshot p = ModelSnapshots.promoted(s, "auto", "passed the gate", Instant.ofEpochMilli(42));

        assertThat(p.getParameters().array()).as("no copy of the parameters").isSameAs(PARAMETERS);
        assertThat(p.getPromotion().getMode()).isEqualTo("auto");
        assertThat(s.getPromotion()).as("the snapshot itself is left as it was").isNull();
        assertThat(p.getVersion()).isEqualTo(3);
        p.getParameters().get(); // a reader moving its buffer's position
        assertThat(s.getParameters().remaining()).isEqualTo(PARAMETERS.length);
    }
}
