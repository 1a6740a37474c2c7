package io.streamcl.augment;

import io.streamcl.ingest.SentenceText;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Augmented views of a sentence's words for contrastive training. The kind composes it with
 * {@link io.streamcl.ingest.HashedFeatures} to get the float[] the encoder reads; for embedding, the
 * words are used as they are.
 *
 * <p>A view is, in this order (draws from the generator in this order too):
 * <ol>
 *   <li>span crop (if spanCropMin &lt; 1 and there are at least 2 words): length L uniform in
 *       [ceil(spanCropMin n), n], start uniform in [0, n - L];</li>
 *   <li>word dropout: each word dropped with probability wordDropout; if none is left, one of the
 *       cropped words, drawn uniformly, is kept;</li>
 *   <li>neighbour swap: left to right, each adjacent pair (i, i+1) is swapped with probability
 *       neighbourSwap, and a swapped pair is skipped over, so every word moves at most one place;</li>
 *   <li>token mask: each word becomes {@link SentenceText#MASK_TOKEN} with probability tokenMask.</li>
 * </ol>
 * A step whose probability is 0 (or crop 1) is skipped and draws nothing, so {@link
 * SentenceAugmentation#none} gives views equal to the input. With {@code dropoutOnly} every view is the
 * input unchanged and nothing is drawn. A view is never empty.
 *
 * <p>Allocates one list per call. Stateless; safe to share between threads (the generators are not).
 */
public final class SentenceAugmenter implements Augmenter<List<String>, List<String>> {

    /** Slack so that e.g. 0.6 * 5 = 3.0000000000000004 keeps 3 words, not 4. */
    private static final double EPS = 1e-9;

    private final SentenceAugmentation cfg;

    public SentenceAugmenter(SentenceAugmentation settings) {
        this.cfg = Objects.requireNonNull(settings, "settings");
    }

    public SentenceAugmentation settings() {
        return cfg;
    }

    /**
     * One augmented view.
     *
     * @param words at least one word, as {@link SentenceText#words} gives them
     * @return a new unmodifiable list of at least one word
     */
    @Override
    public List<String> view(List<String> words, SplittableRandom rng) {
        Objects.requireNonNull(words, "words");
        if (words.isEmpty()) {
            throw new IllegalArgumentException("words is empty: a sentence needs at least one word");
        }
        if (cfg.dropoutOnly()) {
            return List.copyOf(words);
        }
        int n = words.size();
        int from = 0;
        int to = n;
        if (cfg.spanCropMin() < 1 && n > 1) {
            int minLen = Math.max(1, (int) Math.ceil(cfg.spanCropMin() * n - EPS));
            int len = minLen + rng.nextInt(n - minLen + 1);
            from = rng.nextInt(n - len + 1);
            to = from + len;
        }
        List<String> out = new ArrayList<>(to - from);
        if (cfg.wordDropout() > 0) {
            for (int i = from; i < to; i++) {
                if (rng.nextDouble() >= cfg.wordDropout()) {
                    out.add(words.get(i));
                }
            }
            if (out.isEmpty()) {
                out.add(words.get(from + rng.nextInt(to - from)));
            }
        } else {
            out.addAll(words.subList(from, to));
        }
        if (cfg.neighbourSwap() > 0) {
            for (int i = 0; i + 1 < out.size(); i++) {
                if (rng.nextDouble() < cfg.neighbourSwap()) {
                    String t = out.get(i);
                    out.set(i, out.get(i + 1));
                    out.set(i + 1, t);
                    i++;
                }
            }
        }
        if (cfg.tokenMask() > 0) {
            for (int i = 0; i < out.size(); i++) {
                if (rng.nextDouble() < cfg.tokenMask()) {
                    out.set(i, SentenceText.MASK_TOKEN);
                }
            }
        }
        return List.copyOf(out);
    }
}
