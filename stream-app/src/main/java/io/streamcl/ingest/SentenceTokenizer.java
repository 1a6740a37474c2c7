package io.streamcl.ingest;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Splits a sentence into the tokens the sentence kind hashes and augments: the built-in {@link
 * SentenceText#words words} (no file, no download), or the tokens of a user's {@code tokenizer.json}
 * (any HuggingFace tokenizer: WordPiece, BPE, Unigram...), read from disk only.
 */
@FunctionalInterface
public interface SentenceTokenizer {

    /** The tokens of a text, in order; empty when it has none. */
    List<String> tokens(String text);

    /** The built-in tokenizer: lower-cased words. */
    static SentenceTokenizer words() {
        return SentenceText::words;
    }

    /**
     * A HuggingFace tokenizer from a {@code tokenizer.json} file. Special tokens ([CLS], [SEP], ...) are
     * left out: they are the same in every sentence and would only dilute its features.
     *
     * @throws IOException if the file cannot be read or is not a tokenizer
     */
    static SentenceTokenizer fromFile(Path tokenizerJson) throws IOException {
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .build();
        } catch (RuntimeException e) { // the native library reports a malformed file this way
            throw new IOException("not a tokenizer.json: " + tokenizerJson + ": " + e.getMessage(), e);
        }
        return text -> tokenizer.tokenize(text);
    }
}
