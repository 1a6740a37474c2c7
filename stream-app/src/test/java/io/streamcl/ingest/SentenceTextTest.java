package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class SentenceTextTest {

    @Test
    void shouldLowerCaseAndDropPunctuation() {
        assertThat(SentenceText.words("The jury said, \"No evidence!\" -- (see p. 12).  "))
                .containsExactly("the", "jury", "said", "no", "evidence", "see", "p", "12");
    }

    @Test
    void shouldKeepApostrophesInsideWordsOnly() {
        assertThat(SentenceText.words("Don't say 'hello' to Atlanta's mayor' l'homme"))
                .containsExactly("don't", "say", "hello", "to", "atlanta's", "mayor", "l'homme");
    }

    @Test
    void shouldTurnTypographicApostropheIntoPlainOne() {
        assertThat(SentenceText.words("It\u2019s \u2018quoted\u2019")).containsExactly("it's", "quoted");
    }

    @Test
    void shouldDropBrownCorpusQuoteMarks() {
        assertThat(SentenceText.words("`` no evidence '' that any irregularities took place ."))
                .containsExactly("no", "evidence", "that", "any", "irregularities", "took", "place");
    }

    @Test
    void shouldSplitNonLatinText() {
        assertThat(SentenceText.words("Привет, мир")).containsExactly("привет", "мир");
        assertThat(SentenceText.words("Καλημέρα κόσμε!")).containsExactly("καλημέρα", "κόσμε");
        assertThat(SentenceText.words("مرحبا بالعالم.")).containsExactly("مرحبا", "بالعالم");
    }

    @Test
    void shouldKeepAccentsAndCombiningMarksInsideWords() {
        assertThat(SentenceText.words("Naïve café")).containsExactly("naïve", "café");
        // decomposed: e + U+0301, i + U+0308; NFKC makes them the same tokens as the composed forms
        assertThat(SentenceText.words("Nai\u0308ve cafe\u0301")).containsExactly("naïve", "café");
        // Devanagari vowel signs are combining marks, not separators
        assertThat(SentenceText.words("नमस्ते दुनिया")).containsExactly("नमस्ते", "दुनिया");
    }

    @Test
    void shouldFoldCompatibilityForms() {
        assertThat(SentenceText.words("ＡＢＣ ﬁne")).containsExactly("abc", "fine");
    }

    @Test
    void shouldNotDependOnDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr"));
            assertThat(SentenceText.words("TITLE")).containsExactly("title");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void shouldReturnNoWordsForPunctuationOnly() {
        assertThat(SentenceText.words("... !!! -- ''")).isEmpty();
        assertThat(SentenceText.words("")).isEmpty();
    }

    @Test
    void shouldNeverProduceTheMaskToken() {
        assertThat(SentenceText.words("[MASK] [mask]")).containsExactly("mask", "mask")
                .doesNotContain(SentenceText.MASK_TOKEN);
    }
}
