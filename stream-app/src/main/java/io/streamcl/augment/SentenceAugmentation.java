package io.streamcl.augment;

/**
 * The settings of {@link SentenceAugmenter}: immutable, made with {@link #builder()}, every value checked
 * where it enters so a bad setting fails at start-up with a message naming it.
 *
 * <p>Text has no crop-and-colour recipe as strong as images have, so two families are offered:
 * <ul>
 *   <li>edits of the word list, as in EDA (Wei and Zou 2019) and CLEAR (Wu et al. 2020): a contiguous
 *       span crop, word dropout, neighbour swaps and masking;</li>
 *   <li>{@code dropoutOnly}: SimCSE (Gao et al. 2021): both views are the sentence unchanged and the
 *       encoder's own dropout makes them differ; this beats word edits for sentence similarity, at the
 *       price of needing dropout in the encoder.</li>
 * </ul>
 * Settings:
 * <ol>
 *   <li>{@code spanCropMin}: a view keeps a contiguous span of at least this fraction of the words, its
 *       length uniform between that and all of them (default 0.6; 1 turns cropping off);</li>
 *   <li>{@code wordDropout}: chance that each word is dropped (default 0.1);</li>
 *   <li>{@code neighbourSwap}: chance that each adjacent pair of words is swapped (default 0.1);</li>
 *   <li>{@code tokenMask}: chance that each word becomes {@link io.streamcl.ingest.SentenceText#MASK_TOKEN}
 *       (default 0.1);</li>
 *   <li>{@code dropoutOnly}: when true the four above are not applied (default false).</li>
 * </ol>
 */
public final class SentenceAugmentation {

    private final double spanCropMin;
    private final double wordDropout;
    private final double neighbourSwap;
    private final double tokenMask;
    private final boolean dropoutOnly;

    private SentenceAugmentation(Builder b) {
        this.spanCropMin = b.spanCropMin;
        this.wordDropout = b.wordDropout;
        this.neighbourSwap = b.neighbourSwap;
        this.tokenMask = b.tokenMask;
        this.dropoutOnly = b.dropoutOnly;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: crop to >= 60%, then 10% word dropout, 10% neighbour swaps, 10% masking. */
    public static SentenceAugmentation defaults() {
        return builder().build();
    }

    /** No edit at all: a view equals its input and draws nothing from the generator. */
    public static SentenceAugmentation none() {
        return builder().spanCropMin(1).wordDropout(0).neighbourSwap(0).tokenMask(0).build();
    }

    /** A builder holding these settings, to derive a variant. */
    public Builder toBuilder() {
        return builder().spanCropMin(spanCropMin).wordDropout(wordDropout).neighbourSwap(neighbourSwap)
                .tokenMask(tokenMask).dropoutOnly(dropoutOnly);
    }

    public double spanCropMin() { return spanCropMin; }
    public double wordDropout() { return wordDropout; }
    public double neighbourSwap() { return neighbourSwap; }
    public double tokenMask() { return tokenMask; }
    public boolean dropoutOnly() { return dropoutOnly; }

    @Override
    public String toString() {
        return "SentenceAugmentation{spanCropMin=" + spanCropMin + ", wordDropout=" + wordDropout
                + ", neighbourSwap=" + neighbourSwap + ", tokenMask=" + tokenMask
                + ", dropoutOnly=" + dropoutOnly + "}";
    }

    /** Builds {@link SentenceAugmentation}; each setter rejects a bad value at once. */
    public static final class Builder {
        private double spanCropMin = 0.6;
        private double wordDropout = 0.1;
        private double neighbourSwap = 0.1;
        private double tokenMask = 0.1;
        private boolean dropoutOnly = false;

        private Builder() {}

        /** Smallest fraction of the words a span crop keeps, in (0, 1]; 1 keeps all. Default 0.6. */
        public Builder spanCropMin(double v) {
            if (!(v > 0 && v <= 1)) {
                throw new IllegalArgumentException("spanCropMin must be in (0, 1], got " + fmt(v));
            }
            this.spanCropMin = v;
            return this;
        }

        /**
         * Chance that each word is dropped, in [0, 1): at 1 every view would be the one word kept so the
         * view is never empty. Default 0.1.
         */
        public Builder wordDropout(double v) {
            if (!(v >= 0 && v < 1)) {
                throw new IllegalArgumentException("wordDropout must be in [0, 1), got " + fmt(v));
            }
            this.wordDropout = v;
            return this;
        }

        /** Chance that each adjacent pair of words is swapped, in [0, 1]. Default 0.1. */
        public Builder neighbourSwap(double v) {
            this.neighbourSwap = checkUnit("neighbourSwap", v);
            return this;
        }

        /** Chance that each word is replaced by the mask token, in [0, 1]. Default 0.1. */
        public Builder tokenMask(double v) {
            this.tokenMask = checkUnit("tokenMask", v);
            return this;
        }

        /** SimCSE: views are the sentence unchanged (the encoder's dropout tells them apart). Default false. */
        public Builder dropoutOnly(boolean on) {
            this.dropoutOnly = on;
            return this;
        }

        public SentenceAugmentation build() {
            return new SentenceAugmentation(this);
        }

        private static double checkUnit(String name, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], got " + fmt(v));
            }
            return v;
        }

        /** 0 rather than 0.0 in messages; other values as Java prints them. */
        private static String fmt(double v) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                return Long.toString((long) v);
            }
            return Double.toString(v);
        }
    }
}
