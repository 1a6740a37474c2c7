package io.streamcl.ingest;

import io.streamcl.schema.SentenceItem;
import java.util.List;

/**
 * Turns a {@link SentenceItem} from the wire into its word tokens ({@link SentenceText#words}),
 * checking it first. Any bad input ends as {@link InvalidItemException} with a reason, never as another
 * exception, so the record goes to the dead-letter topic instead of stopping the stream.
 */
public final class SentenceDecoder {

    private SentenceDecoder() {}

    /**
     * Decodes and validates a sentence item.
     *
     * @param maxChars the longest text accepted, in Unicode code points, >= 1: a bound on the work and
     *     memory one record can cost, checked before the text is tokenised
     * @return the words, at least one, in text order
     * @throws InvalidItemException when the item or its text is null, the text is longer than
     *     {@code maxChars}, blank, or has no word (only punctuation or symbols)
     */
    public static List<String> decode(SentenceItem item, int maxChars) throws InvalidItemException {
        return decode(item, maxChars, SentenceTokenizer.words());
    }

    /**
     * Decodes and validates a sentence item with the given tokenizer.
     *
     * @return the tokens, at least one, in text order
     * @throws InvalidItemException as {@link #decode(SentenceItem, int)}, "no words" meaning no tokens
     */
    public static List<String> decode(SentenceItem item, int maxChars, SentenceTokenizer tokenizer)
            throws InvalidItemException {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be >= 1, got " + maxChars);
        }
        if (item == null) {
            throw new InvalidItemException("sentence item is null");
        }
        String text = item.getText();
        if (text == null) {
            throw new InvalidItemException("sentence item has a null text");
        }
        // length() >= code points, so only a long string pays for counting
        if (text.length() > maxChars) {
            int chars = text.codePointCount(0, text.length());
            if (chars > maxChars) {
                throw new InvalidItemException("sentence has " + chars + " characters, more than the limit "
                        + maxChars);
            }
        }
        if (text.isBlank()) {
            throw new InvalidItemException(text.isEmpty() ? "sentence text is empty" : "sentence text is blank");
        }
        List<String> words = tokenizer.tokens(text);
        if (words.isEmpty()) {
            throw new InvalidItemException("sentence has no words (only punctuation or symbols): "
                    + abbreviate(text, 40));
        }
        return words;
    }

    /** The first {@code max} characters of {@code s}, with "..." when cut, for messages. */
    static String abbreviate(String s, int max) {
        if (s.length() <= max) {
            return '"' + s + '"';
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return '"' + s.substring(0, end) + "...\"";
    }
}
