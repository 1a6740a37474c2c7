package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.kind.KindRegistry;
import io.streamcl.kind.SentenceKind;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's tokenizer.json replaces the built-in words, read from disk with nothing downloaded. */
public class SentenceTokenizerTest {
    /** A word-level HuggingFace tokenizer: lower-cases, splits on whitespace and punctuation. */
    public static final String WORD_LEVEL = """
            {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [
               {"id": 0, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false,
                "normalized": false, "special": true}],
             "normalizer": {"type": "Lowercase"},
             "pre_tokenizer": {"type": "Whitespace"},
             "post_processor": null, "decoder": null,
             "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "the": 1, "jury": 2, "said": 3, ".": 4},
                       "unk_token": "[UNK]"}}
            """;

    @TempDir
    Path tmp;

    @Test
    void shouldSplitWithTheUsersTokenizer() throws IOException {
        SentenceTokenizer t = SentenceTokenizer.fromFile(Files.writeString(tmp.resolve("tokenizer.json"), WORD_LEVEL));
        assertThat(t.tokens("The jury said nothing.")).containsExactly("the", "jury", "said", "[UNK]", ".");
        assertThat(t.tokens("   ")).isEmpty();
    }

    @Test
    void shouldRefuseAFileThatIsNotATokenizer() throws IOException {
        Path bad = Files.writeString(tmp.resolve("tokenizer.json"), "{\"hello\": 1}");
        assertThatThrownBy(() -> SentenceTokenizer.fromFile(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a tokenizer.json");
    }

    @Test
    void sentenceKindShouldDecodeWithTheConfiguredTokenizer() throws Exception {
        Path file = Files.writeString(tmp.resolve("tokenizer.json"), WORD_LEVEL);
        SentenceKind kind = new SentenceKind(KindRegistry.standard().defaultSettings().with(Map.of("sentence.tokenizer", file.toString())));
        RawItem item = SentenceItems.rawItem("s1", 0L, "The JURY said.", Map.of());
        assertThat(kind.decode(item)).containsExactly("the", "jury", "said", ".");
        assertThat(kind.embeddingInput(kind.decode(item))).isNotEmpty();
    }

    @Test
    void shouldRefuseAMissingOrBrokenTokenizerAtStart() throws IOException {
        assertThatThrownBy(() -> KindRegistry.standard().defaultSettings().with(Map.of("sentence.tokenizer", tmp.resolve("nope.json").toString())))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("sentence.tokenizer");
        Path bad = Files.writeString(tmp.resolve("broken.json"), "not json");
        Settings s = KindRegistry.standard().defaultSettings().with(Map.of("sentence.tokenizer", bad.toString()));
        assertThatThrownBy(() -> new SentenceKind(s)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("sentence.tokenizer: not a tokenizer.json");
    }
}
