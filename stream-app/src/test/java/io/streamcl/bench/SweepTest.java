package io.streamcl.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.kind.ImageKind;
import io.streamcl.kind.KindRegistry;
import org.junit.jupiter.api.Test;

/** `bench --vary NAME=V1;V2`: the sweep a user asks for, checked before anything trains. */
class SweepTest {
    private final Settings base = KindRegistry.standard().defaultSettings();

    @Test
    void shouldReadASettingAndItsValuesSeparatedBySemicolonsSinceValuesMayHoldCommas() {
        Sweep.Variation v = Sweep.parse("image.conv-channels=16,32; 32,64 ;16,32,64", base);
        assertThat(v.setting()).isEqualTo(ImageKind.IMAGE_CONV_CHANNELS);
        assertThat(v.values()).containsExactly("16,32", "32,64", "16,32,64");
        assertThat(v.label()).isEqualTo("image.conv-channels");
    }

    @Test
    void shouldRefuseAnUnknownSettingMissingValuesOrAValueTheSettingRefuses() {
        assertThatThrownBy(() -> Sweep.parse("image.colour=1;2", base)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no setting named 'image.colour'");
        assertThatThrownBy(() -> Sweep.parse("temperature", base)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give the values");
        assertThatThrownBy(() -> Sweep.parse("temperature=0.1;-3", base))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("temperature");
    }

    @Test
    void shouldSweepTheSentenceKindsOwnMethodAndOnlyValuesItsSettingsAccept() {
        java.util.List<Sweep.Variation> sweep = Sweep.standardSentences(785, base);
        assertThat(sweep).extracting(v -> v.setting().name()).contains("sentence.method", "sentence.token-dim",
                "sentence.word-dropout", "sentence.span-crop.min", "temperature", "learning.rate.decay-steps");
        assertThat(sweep.get(0).values()).containsExactly("moco", "simclr");
        for (Sweep.Variation v : sweep) {
            for (String value : v.values()) {
                Settings s = base.with(java.util.Map.of(v.setting().name(), value)); // each value is one the setting takes
                assertThat(s.text(v.setting())).isEqualTo(value);
            }
        }
    }
}
