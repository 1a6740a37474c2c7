package io.streamcl.ingest;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a sentence into lower-case word tokens, the same way for training, embedding and the
 * TF-IDF baseline, in any script.
 *
 * <p>A word is a maximal run of letters, digits and combining marks (so Devanagari or Thai vowel signs
 * and decomposed accents stay inside their word), with apostrophes kept only between two such
 * characters ("don't", "l'homme"; a quote mark around a word is dropped). Everything else, punctuation,
 * symbols and white space, separates words and is dropped. The text is first put in Unicode NFKC form
 * (so "café" typed with a combining accent, a ligature "ﬁ" or full-width "Ａ" give the same tokens as
 * their plain forms) and lower-cased with {@link Locale#ROOT}, so the result does not depend on the
 * JVM's default locale. The typographic apostrophe U+2019 becomes U+0027.
 *
 * <p>Scripts written without spaces (Chinese, Japanese) come out as one token per run of letters;
 * character n-grams ({@link HashedFeatures}) still see inside them.
 */
public final class SentenceText {

    /**
     * The token a masked word becomes ({@code io.streamcl.augment.SentenceAugmenter}). {@link #words}
     * never returns it, since brackets are not word characters.
     */
    public static final String MASK_TOKEN = "[mask]";

    private SentenceText() {}

    /** The word tokens of {@code text}, in order; empty when it has none. */
    public static List<String> words(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isWordChar(cp)) {
                word.appendCodePoint(cp);
            } else if (isApostrophe(cp) && word.length() > 0 && next < s.length()
                    && isWordChar(s.codePointAt(next))) {
                word.append('\'');
            } else if (word.length() > 0) {
                out.add(word.toString());
                word.setLength(0);
            }
            i = next;
        }
        if (word.length() > 0) {
            out.add(word.toString());
        }
        return out;
    }

    /** Letters, digits and combining marks (needed inside words of Indic, Thai and decomposed text). */
    static boolean isWordChar(int cp) {
        if (Character.isLetterOrDigit(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    private static boolean isApostrophe(int cp) {
        return cp == '\'' || cp == '\u2019';
    }
}
