package io.streamcl.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SentenceAugmentationTest {

    private static void assertRejected(Consumer<SentenceAugmentation.Builder> setter, String message) {
        assertThatThrownBy(() -> setter.accept(SentenceAugmentation.builder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void shouldApplyDefaults() {
        SentenceAugmentation a = SentenceAugmentation.defaults();
        assertThat(a.spanCropMin()).isEqualTo(0.6);
        assertThat(a.wordDropout()).isEqualTo(0.1);
        assertThat(a.neighbourSwap()).isEqualTo(0.1);
        assertThat(a.tokenMask()).isEqualTo(0.1);
        assertThat(a.dropoutOnly()).isFalse();
    }

    @Test
    void shouldKeepEverySettingThroughToBuilder() {
        SentenceAugmentation a = SentenceAugmentation.builder().spanCropMin(0.5).wordDropout(0.2)
                .neighbourSwap(0.3).tokenMask(0.4).dropoutOnly(true).build();
        assertThat(a.toBuilder().build().toString()).isEqualTo(a.toString())
                .isEqualTo("SentenceAugmentation{spanCropMin=0.5, wordDropout=0.2, neighbourSwap=0.3, "
                        + "tokenMask=0.4, dropoutOnly=true}");
    }

    @Test
    void shouldRejectBadValuesNamingTheSetting() {
        assertRejected(b -> b.spanCropMin(0), "spanCropMin must be in (0, 1], got 0");
        assertRejected(b -> b.spanCropMin(1.5), "spanCropMin must be in (0, 1], got 1.5");
        assertRejected(b -> b.wordDropout(1), "wordDropout must be in [0, 1), got 1");
        assertRejected(b -> b.wordDropout(-0.1), "wordDropout must be in [0, 1), got -0.1");
        assertRejected(b -> b.neighbourSwap(1.1), "neighbourSwap must be in [0, 1], got 1.1");
        assertRejected(b -> b.tokenMask(Double.NaN), "tokenMask must be in [0, 1], got NaN");
    }
}
