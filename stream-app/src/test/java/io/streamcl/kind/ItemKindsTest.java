package io.streamcl.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.schema.SentenceItem;
import io.streamcl.schema.UserEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemKindsTest {

    @Test
    void shouldEnableEveryKindByDefault() {
        assertThat(ItemKinds.fromSettings(Settings.defaults()).all()).extracting(ItemKind::name)
                .containsExactly("image", "sentence", "event");
    }

    @Test
    void shouldEnableOnlyTheKindsTheSettingNames() {
        ItemKinds kinds = ItemKinds.fromSettings(Settings.defaults().with(Map.of("kinds", " Event , sentence")));
        assertThat(kinds.all()).extracting(ItemKind::name).containsExactly("sentence", "event");
        assertThat(kinds.forPayload(UserEvent.newBuilder().setUserId("u").setItemId("i").setEventType("view").build()))
                .map(ItemKind::name).contains("event");
        assertThat(kinds.byName("image")).isEmpty();
        assertThat(kinds.forPayload(new SentenceItem("hello", null))).isPresent();
    }

    @Test
    void shouldRefuseAnUnknownKindNamingTheKnownOnes() {
        Settings s = Settings.defaults().with(Map.of("kinds", "image,video"));
        assertThatThrownBy(() -> ItemKinds.fromSettings(s)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("kinds: unknown video (known: image, sentence, event)");
    }

    @Test
    void shouldRefuseAnEmptyOrRepeatedList() {
        assertThatThrownBy(() -> Settings.defaults().with(Map.of("kinds", " , "))).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> Settings.defaults().with(Map.of("kinds", "image,image")))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("kinds");
    }

    @Test
    void eachKindShouldOwnItsEntityHistoryOrNone() {
        ItemKinds kinds = ItemKinds.fromSettings(Settings.defaults());
        assertThat(kinds.byName("image").orElseThrow().entityHistory()).isEmpty();
        assertThat(kinds.byName("sentence").orElseThrow().entityHistory()).isEmpty();
        assertThat(kinds.byName("event").orElseThrow().entityHistory()).map(EntityHistory::entityName).contains("user");
    }
}
