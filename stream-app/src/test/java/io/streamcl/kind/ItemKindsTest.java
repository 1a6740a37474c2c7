package io.streamcl.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.SentenceItem;
import io.streamcl.schema.UserEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemKindsTest {

    @Test
    void shouldEnableEveryKindByDefault() {
        assertThat(ItemKinds.fromSettings(KindRegistry.standard().defaultSettings()).all()).extracting(ItemKind::name)
                .containsExactly("image", "sentence", "event");
    }

    @Test
    void shouldEnableOnlyTheKindsTheSettingNames() {
        ItemKinds kinds = ItemKinds.fromSettings(KindRegistry.standard().defaultSettings().with(Map.of("kinds", " Event , sentence")));
        assertThat(kinds.all()).extracting(ItemKind::name).containsExactly("sentence", "event");
        assertThat(kinds.forItem(raw(UserEvent.newBuilder().setUserId("u").setItemId("i").setEventType("view").build(),
                Map.of()))).map(ItemKind::name).contains("event");
        assertThat(kinds.byName("image")).isEmpty();
        assertThat(kinds.forItem(raw(new SentenceItem("hello", null), Map.of()))).isPresent();
    }

    @Test
    void shouldRefuseACharacterNgramRangeThatIsEmpty() {
        Settings s = KindRegistry.standard().defaultSettings().with(Map.of("sentence.char-ngram.min", "5",
                "sentence.char-ngram.max", "4"));
        assertThatThrownBy(() -> new SentenceKind(s)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("sentence.char-ngram.min (5) must be at most sentence.char-ngram.max (4)");
        SentenceKind threes = new SentenceKind(s.with(Map.of("sentence.char-ngram.min", "3", "sentence.char-ngram.max",
                "3")));
        SentenceKind wider = new SentenceKind(s.with(Map.of("sentence.char-ngram.min", "3", "sentence.char-ngram.max",
                "5")));
        java.util.List<String> word = java.util.List.of("streaming");
        assertThat(features(threes.embeddingInput(word))).isLessThan(features(wider.embeddingInput(word)));
    }

    private static int features(float[] ids) {
        int n = 0;
        for (float id : ids) {
            n += id != 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void shouldLeaveAnItemThatNamesAnotherKindToThatKind() {
        ItemKinds kinds = ItemKinds.fromSettings(KindRegistry.standard().defaultSettings());
        assertThat(kinds.forItem(raw(new SentenceItem("1,2", null), Map.of(ItemKind.KIND_ATTRIBUTE, "point")))).isEmpty();
        assertThat(kinds.forItem(raw(new SentenceItem("hello", null), Map.of(ItemKind.KIND_ATTRIBUTE, "sentence"))))
                .map(ItemKind::name).contains("sentence");
    }

    @Test
    void shouldPartitionAUsersEventsByTheUserAndOtherItemsById() {
        KindRegistry kinds = KindRegistry.standard();
        assertThat(kinds.partitionKey(raw(UserEvent.newBuilder().setUserId("u7").setItemId("i").setEventType("view")
                .build(), Map.of()))).contains("u7");
        assertThat(kinds.partitionKey(raw(new SentenceItem("hello", null), Map.of()))).isEmpty();
    }

    @Test
    void shouldRefuseTwoKindsOfOneName() {
        assertThatThrownBy(() -> KindRegistry.standard().toBuilder().add(ImageKind.DEFINITION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image");
    }

    private static RawItem raw(Object payload, Map<String, String> attributes) {
        return RawItem.newBuilder().setId("x").setEventTime(Instant.EPOCH).setPayload(payload).setAttributes(attributes)
                .build();
    }

    @Test
    void shouldRefuseAnUnknownKindNamingTheKnownOnes() {
        Settings s = KindRegistry.standard().defaultSettings().with(Map.of("kinds", "image,video"));
        assertThatThrownBy(() -> ItemKinds.fromSettings(s)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("kinds: unknown video (known: image, sentence, event)");
    }

    @Test
    void shouldRefuseAnEmptyOrRepeatedList() {
        assertThatThrownBy(() -> KindRegistry.standard().defaultSettings().with(Map.of("kinds", " , "))).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> KindRegistry.standard().defaultSettings().with(Map.of("kinds", "image,image")))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("kinds");
    }

    @Test
    void eachKindShouldOwnItsEntityHistoryOrNone() {
        ItemKinds kinds = ItemKinds.fromSettings(KindRegistry.standard().defaultSettings());
        assertThat(kinds.byName("image").orElseThrow().entityHistory()).isEmpty();
        assertThat(kinds.byName("sentence").orElseThrow().entityHistory()).isEmpty();
        assertThat(kinds.byName("event").orElseThrow().entityHistory()).map(EntityHistory::entityName).contains("user");
    }
}
