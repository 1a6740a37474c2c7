package io.streamcl.kind;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.cli.Main;
import io.streamcl.ingest.SentenceTokenizerTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's and the sweep's sentences are decoded as the feed's are: with the kind's tokenizer. */
class SentenceDemoTest {
    @TempDir
    Path tmp;

    @Test
    void heldOutSentencesShouldGoThroughTheConfiguredTokenizer() throws Exception {
        Path tokenizer = Files.writeString(tmp.resolve("tokenizer.json"), SentenceTokenizerTest.WORD_LEVEL);
        SentenceDemo demo = new SentenceDemo(corpus(), "sentence", "fileid", "genre", 100, 42);
        SentenceKind words = new SentenceKind(KindRegistry.standard().defaultSettings());
        SentenceKind tokens = new SentenceKind(KindRegistry.standard().defaultSettings()
                .with(Map.of("sentence.tokenizer", tokenizer.toString())));

        assertThat(demo.testTokens(words)).allSatisfy(t -> assertThat(t).contains("jury", "met").doesNotContain("."));
        // the tokenizer knows "the", "jury", "said" and "."; every other word is [UNK]
        assertThat(demo.testTokens(tokens)).allSatisfy(t -> assertThat(t).contains("jury", "[UNK]", "."));
        assertThat(demo.trainTokens(tokens)).hasSameSizeAs(demo.trainIds()).allSatisfy(t -> assertThat(t)
                .contains("[UNK]"));
    }

    @Test
    void theSweepShouldRefuseToVaryTheTokenizer() throws Exception {
        Path tokenizer = Files.writeString(tmp.resolve("tokenizer.json"), SentenceTokenizerTest.WORD_LEVEL);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.execute("bench", "--sections", "sweep", "--sweep-kind", "sentence", "--vary",
                    "sentence.tokenizer=" + tokenizer, "--out", tmp.resolve("b.md").toString());
        } finally {
            System.setErr(err);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("set sentence.tokenizer with --set, not --vary");
    }

    /** Ten documents of three sentences, in two genres. */
    private Path corpus() throws Exception {
        List<String> lines = new ArrayList<>(List.of("fileid\tgenre\tsentence"));
        for (int d = 0; d < 10; d++) {
            for (int s = 0; s < 3; s++) {
                lines.add("doc" + d + "\t" + (d % 2 == 0 ? "news" : "fiction") + "\tThe jury met on day " + s
                        + " of case " + d + " .");
            }
        }
        return Files.write(tmp.resolve("corpus.tsv"), lines);
    }
}
