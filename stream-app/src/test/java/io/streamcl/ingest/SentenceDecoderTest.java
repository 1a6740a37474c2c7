package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.schema.SentenceItem;
import org.junit.jupiter.api.Test;

class SentenceDecoderTest {

    private static SentenceItem item(String text) {
        return SentenceItem.newBuilder().setText(text).build();
    }

    @Test
    void shouldDecodeToWords() throws Exception {
        assertThat(SentenceDecoder.decode(item("Hello, world!"), 100)).containsExactly("hello", "world");
    }

    @Test
    void shouldRejectEmptyAndBlankText() {
        assertThatThrownBy(() -> SentenceDecoder.decode(item(""), 100))
                .isInstanceOf(InvalidItemException.class).hasMessage("sentence text is empty");
        assertThatThrownBy(() -> SentenceDecoder.decode(item(" \t\n"), 100))
                .isInstanceOf(InvalidItemException.class).hasMessage("sentence text is blank");
    }

    @Test
    void shouldRejectTextWithoutWords() {
        assertThatThrownBy(() -> SentenceDecoder.decode(item("?! -- ..."), 100))
                .isInstanceOf(InvalidItemException.class)
                .hasMessage("sentence has no words (only punctuation or symbols): \"?! -- ...\"");
    }

    @Test
    void shouldRejectTextLongerThanTheLimitInCodePoints() throws Exception {
        assertThatThrownBy(() -> SentenceDecoder.decode(item("abcdef"), 5))
                .isInstanceOf(InvalidItemException.class)
                .hasMessage("sentence has 6 characters, more than the limit 5");
        // 5 code points, 10 UTF-16 units: within a limit of 5
        String emoji = "\uD83D\uDE00".repeat(4) + "a";
        assertThat(SentenceDecoder.decode(item(emoji), 5)).containsExactly("a");
    }

    @Test
    void shouldRejectNullItemAndNullText() {
        assertThatThrownBy(() -> SentenceDecoder.decode(null, 100))
                .isInstanceOf(InvalidItemException.class).hasMessage("sentence item is null");
        SentenceItem noText = new SentenceItem();
        assertThatThrownBy(() -> SentenceDecoder.decode(noText, 100))
                .isInstanceOf(InvalidItemException.class).hasMessage("sentence item has a null text");
    }

    @Test
    void shouldRejectNonPositiveLimit() {
        assertThatThrownBy(() -> SentenceDecoder.decode(item("a"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxChars must be >= 1, got 0");
    }
}
