package io.streamcl.kind;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.ingest.EventRow;
import io.streamcl.learn.UserHistory;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UserHistoryUpgradeTest {

    @Test
    @SuppressWarnings("unchecked")
    void aStoredHistoryItCannotReadShouldStartOverRatherThanStopTheStreamThread() {
        EntityHistory<EventRow> users = (EntityHistory<EventRow>) ItemKinds.fromSettings(KindRegistry.standard().defaultSettings())
                .byName("event").orElseThrow().entityHistory().orElseThrow();
        byte[] handMadeFormat = {1, 5, (byte) 0xe0, (byte) 0xd4, 0x03, 0, 1, 2, 3, 'a', 'b', 'c'}; // before Avro
        Optional<byte[]> updated = users.update(Optional.of(handMadeFormat),
                new EventRow("u", "b", "view", 1_000L, null, Map.of()));
        assertThat(UserHistory.fromBytes(updated.orElseThrow()).recent()).containsExactly("b");
    }
}
