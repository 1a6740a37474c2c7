package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.schema.RawItem;
import io.streamcl.schema.UserEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventItemsTest {

    @Test
    void shouldMakeIdFromUserTimestampAndIndex() {
        EventRow row = new EventRow("u7", "i3", "click", 1_700_000_000_123L, null, null);
        assertThat(EventItems.eventId(row, 42)).isEqualTo("u7:1700000000123:42");
        assertThatThrownBy(() -> EventItems.eventId(row, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("index must be >= 0, got -1");
    }

    @Test
    void shouldCarryTheEventAsPayloadWithItsTimeAsEventTime() throws Exception {
        EventRow row = new EventRow("u7", "i3", "rating", 1_700_000_000_123L, 4.5f, Map.of("title", "Heat (1995)"));
        RawItem item = EventItems.rawItem("id-1", row);

        assertThat(item.getId()).isEqualTo("id-1");
        assertThat(item.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(item.getAttributes()).isEmpty();
        UserEvent e = (UserEvent) item.getPayload();
        assertThat(e.getUserId()).isEqualTo("u7");
        assertThat(e.getItemId()).isEqualTo("i3");
        assertThat(e.getEventType()).isEqualTo("rating");
        assertThat(e.getWeight()).isEqualTo(4.5f);
        assertThat(e.getItemAttributes()).containsExactlyEntriesOf(Map.of("title", "Heat (1995)"));
        assertThat(EventDecoder.decode(e)).isSameAs(e);
        // and it survives the wire
        ByteBuffer bytes = RawItem.getEncoder().encode(item);
        assertThat(RawItem.getDecoder().decode(bytes)).isEqualTo(item);
    }

    @Test
    void shouldSendNoAttributesAsNull() {
        RawItem item = EventItems.rawItem("id", new EventRow("u", "i", "view", 0, null, Map.of()));
        UserEvent e = (UserEvent) item.getPayload();
        assertThat(e.getItemAttributes()).isNull();
        assertThat(e.getWeight()).isNull();
    }
}
