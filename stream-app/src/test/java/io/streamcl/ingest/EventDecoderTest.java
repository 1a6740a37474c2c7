package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.schema.UserEvent;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDecoderTest {

    private static UserEvent event(String user, String item, String type, Float weight, Map<String, String> attrs) {
        return new UserEvent(user, item, type, weight, attrs);
    }

    @Test
    void shouldAcceptAValidEventUnchanged() throws Exception {
        UserEvent e = event("u1", "i1", "click", 2.5f, Map.of("genres", "Drama"));
        assertThat(EventDecoder.decode(e)).isSameAs(e);
        UserEvent bare = event("u1", "i1", "view", null, null);
        assertThat(EventDecoder.decode(bare)).isSameAs(bare);
    }

    @Test
    void shouldAcceptIdsOfExactlyTheLimit() throws Exception {
        String id = "x".repeat(EventDecoder.MAX_ID_LENGTH);
        EventDecoder.decode(event(id, id, "view", null, null));
    }

    @Test
    void shouldRejectNullEvent() {
        assertThatThrownBy(() -> EventDecoder.decode(null))
                .isInstanceOf(InvalidItemException.class).hasMessage("user event is null");
    }

    @Test
    void shouldRejectBlankIds() {
        assertThatThrownBy(() -> EventDecoder.decode(event(" ", "i", "view", null, null)))
                .isInstanceOf(InvalidItemException.class).hasMessage("userId is blank");
        assertThatThrownBy(() -> EventDecoder.decode(event("u", "", "view", null, null)))
                .isInstanceOf(InvalidItemException.class).hasMessage("itemId is blank");
        assertThatThrownBy(() -> EventDecoder.decode(event(null, "i", "view", null, null)))
                .isInstanceOf(InvalidItemException.class).hasMessage("userId is blank");
    }

    @Test
    void shouldRejectIdsLongerThanTheLimit() {
        String longId = "x".repeat(257);
        assertThatThrownBy(() -> EventDecoder.decode(event(longId, "i", "view", null, null)))
                .isInstanceOf(InvalidItemException.class).hasMessage("userId has 257 chars, more than 256");
        assertThatThrownBy(() -> EventDecoder.decode(event("u", longId, "view", null, null)))
                .isInstanceOf(InvalidItemException.class).hasMessage("itemId has 257 chars, more than 256");
    }

    @Test
    void shouldRejectBlankEventType() {
        assertThatThrownBy(() -> EventDecoder.decode(event("u", "i", "\t", null, null)))
                .isInstanceOf(InvalidItemException.class).hasMessage("eventType is blank");
    }

    @Test
    void shouldRejectNonFiniteWeight() {
        assertThatThrownBy(() -> EventDecoder.decode(event("u", "i", "view", Float.NaN, null)))
                .isInstanceOf(InvalidItemException.class).hasMessage("weight must be finite, got NaN");
        assertThatThrownBy(() -> EventDecoder.decode(event("u", "i", "view", Float.NEGATIVE_INFINITY, null)))
                .isInstanceOf(InvalidItemException.class).hasMessage("weight must be finite, got -Infinity");
    }

    @Test
    void shouldRejectTooManyAttributes() throws Exception {
        Map<String, String> attrs = new HashMap<>();
        for (int i = 0; i < 64; i++) {
            attrs.put("k" + i, "v");
        }
        EventDecoder.decode(event("u", "i", "view", null, attrs));
        attrs.put("one-more", "v");
        assertThatThrownBy(() -> EventDecoder.decode(event("u", "i", "view", null, attrs)))
                .isInstanceOf(InvalidItemException.class).hasMessage("itemAttributes has 65 entries, more than 64");
    }

    @Test
    void shouldRejectNullAttributeValue() {
        Map<String, String> attrs = new HashMap<>();
        attrs.put("title", null);
        assertThatThrownBy(() -> EventDecoder.decode(event("u", "i", "view", null, attrs)))
                .isInstanceOf(InvalidItemException.class).hasMessage("itemAttributes[title] is null");
    }
}
