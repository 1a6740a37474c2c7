package io.streamcl.augment;

/**
 * The settings of {@link ImageAugmenter}: immutable, made with {@link #builder()}, every value checked
 * where it enters so a bad setting fails at start-up with a message naming it.
 *
 * <p>The pipeline follows SimCLR / MoCo v2 (random resized crop, flip, colour jitter), with gaussian
 * noise and cutout available (off by default):
 * <ol>
 *   <li>{@code cropScaleMin..cropScaleMax}: fraction of the image area kept by the random crop
 *       (default 0.8..1);</li>
 *   <li>{@code cropRatioMin..cropRatioMax}: crop aspect ratio width/height, drawn log-uniformly
 *       (default 3/4..4/3);</li>
 *   <li>{@code flipProbability}: chance of a horizontal flip (default 0.5);</li>
 *   <li>{@code brightness} b: values multiplied by a factor uniform in [1-b, 1+b] (default 0.4);</li>
 *   <li>{@code contrast} c: values blended toward the image mean by a factor uniform in [1-c, 1+c]
 *       (default 0.4);</li>
 *   <li>{@code noiseStd}: standard deviation of gaussian noise added to every value (default 0: off);</li>
 *   <li>{@code cutoutProbability}, {@code cutoutMaxFraction}: chance of zeroing one square whose side is
 *       at most that fraction of the output size (default 0: off, 0.4).</li>
 * </ol>
 * {@code outputSize} S (required, 4..1024) and {@code outputChannels} (1 or 3, default 1) give the
 * output shape (outputChannels, S, S).
 *
 * <p>Why these defaults (BENCHMARKS.md, "Learning better than the baselines"): at ten uses per item, a mild
 * crop and no noise or cutout learned the most that a consumer of the feed can use (kNN on clean queries)
 * without losing the invariance to augmented ones; stronger views are a sweep away ({@code bench --vary}).
 *
 * <p>The defaults below are also the defaults of the app's {@code image.*} settings, so that an augmentation
 * built here without them is the one the app trains with.
 */
public final class ImageAugmentation {
    public static final double DEFAULT_CROP_SCALE_MIN = 0.8;
    public static final double DEFAULT_CROP_SCALE_MAX = 1.0;
    public static final double DEFAULT_FLIP_PROBABILITY = 0.5;
    public static final double DEFAULT_BRIGHTNESS = 0.4;
    public static final double DEFAULT_CONTRAST = 0.4;
    public static final double DEFAULT_NOISE_STD = 0;
    public static final double DEFAULT_CUTOUT_PROBABILITY = 0;

    private final int outputSize;
    private final int outputChannels;
    private final double cropScaleMin;
    private final double cropScaleMax;
    private final double cropRatioMin;
    private final double cropRatioMax;
    private final double flipProbability;
    private final double brightness;
    private final double contrast;
    private final double noiseStd;
    private final double cutoutProbability;
    private final double cutoutMaxFraction;

    private ImageAugmentation(Builder b) {
        this.outputSize = b.outputSize;
        this.outputChannels = b.outputChannels;
        this.cropScaleMin = b.cropScaleMin;
        this.cropScaleMax = b.cropScaleMax;
        this.cropRatioMin = b.cropRatioMin;
        this.cropRatioMax = b.cropRatioMax;
        this.flipProbability = b.flipProbability;
        this.brightness = b.brightness;
        this.contrast = b.contrast;
        this.noiseStd = b.noiseStd;
        this.cutoutProbability = b.cutoutProbability;
        this.cutoutMaxFraction = b.cutoutMaxFraction;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * No augmentation at all: whole image, no flip, no jitter, no noise, no cutout. A view then equals
     * {@link ImageAugmenter#clean} and draws nothing from the generator.
     */
    public static ImageAugmentation none(int size, int channels) {
        return builder().outputSize(size).outputChannels(channels)
                .cropScaleMin(1).cropScaleMax(1)
                .flipProbability(0).brightness(0).contrast(0).noiseStd(0)
                .cutoutProbability(0)
                .build();
    }

    /** A builder holding these settings, to derive a variant. */
    public Builder toBuilder() {
        return builder().outputSize(outputSize).outputChannels(outputChannels)
                .cropScaleMin(cropScaleMin).cropScaleMax(cropScaleMax)
                .cropRatioMin(cropRatioMin).cropRatioMax(cropRatioMax)
                .flipProbability(flipProbability).brightness(brightness).contrast(contrast)
                .noiseStd(noiseStd).cutoutProbability(cutoutProbability).cutoutMaxFraction(cutoutMaxFraction);
    }

    public int outputSize() { return outputSize; }
    public int outputChannels() { return outputChannels; }
    public double cropScaleMin() { return cropScaleMin; }
    public double cropScaleMax() { return cropScaleMax; }
    public double cropRatioMin() { return cropRatioMin; }
    public double cropRatioMax() { return cropRatioMax; }
    public double flipProbability() { return flipProbability; }
    public double brightness() { return brightness; }
    public double contrast() { return contrast; }
    public double noiseStd() { return noiseStd; }
    public double cutoutProbability() { return cutoutProbability; }
    public double cutoutMaxFraction() { return cutoutMaxFraction; }

    /** Values per view: outputChannels * S * S. */
    public int viewLength() {
        return outputChannels * outputSize * outputSize;
    }

    @Override
    public String toString() {
        return "ImageAugmentation{outputSize=" + outputSize + ", outputChannels=" + outputChannels
                + ", cropScale=[" + cropScaleMin + ", " + cropScaleMax + "]"
                + ", cropRatio=[" + cropRatioMin + ", " + cropRatioMax + "]"
                + ", flipProbability=" + flipProbability + ", brightness=" + brightness
                + ", contrast=" + contrast + ", noiseStd=" + noiseStd
                + ", cutoutProbability=" + cutoutProbability + ", cutoutMaxFraction=" + cutoutMaxFraction + "}";
    }

    /** Builds {@link ImageAugmentation}; each setter rejects a bad value at once. */
    public static final class Builder {
        private int outputSize = -1;
        private int outputChannels = 1;
        private double cropScaleMin = DEFAULT_CROP_SCALE_MIN;
        private double cropScaleMax = DEFAULT_CROP_SCALE_MAX;
        private double cropRatioMin = 3.0 / 4.0;
        private double cropRatioMax = 4.0 / 3.0;
        private double flipProbability = DEFAULT_FLIP_PROBABILITY;
        private double brightness = DEFAULT_BRIGHTNESS;
        private double contrast = DEFAULT_CONTRAST;
        private double noiseStd = DEFAULT_NOISE_STD;
        private double cutoutProbability = DEFAULT_CUTOUT_PROBABILITY;
        private double cutoutMaxFraction = 0.4;

        private Builder() {}

        /** Required: side S of the square output, 4..1024. */
        public Builder outputSize(int s) {
            if (s < 4 || s > 1024) {
                throw new IllegalArgumentException("outputSize must be in [4, 1024], got " + s);
            }
            this.outputSize = s;
            return this;
        }

        /** Output channels: 1 (grey, by luminance) or 3 (RGB). Default 1. */
        public Builder outputChannels(int c) {
            if (c != 1 && c != 3) {
                throw new IllegalArgumentException("outputChannels must be 1 or 3, got " + c);
            }
            this.outputChannels = c;
            return this;
        }

        /** Smallest fraction of the image area a crop keeps, in (0, 1]. Default 0.4. */
        public Builder cropScaleMin(double v) {
            this.cropScaleMin = checkFraction("cropScaleMin", v);
            return this;
        }

        /** Largest fraction of the image area a crop keeps, in (0, 1]. Default 1. */
        public Builder cropScaleMax(double v) {
            this.cropScaleMax = checkFraction("cropScaleMax", v);
            return this;
        }

        /** Smallest crop aspect ratio width/height, finite and > 0. Default 3/4. */
        public Builder cropRatioMin(double v) {
            this.cropRatioMin = checkRatio("cropRatioMin", v);
            return this;
        }

        /** Largest crop aspect ratio width/height, finite and > 0. Default 4/3. */
        public Builder cropRatioMax(double v) {
            this.cropRatioMax = checkRatio("cropRatioMax", v);
            return this;
        }

        /** Chance of a horizontal flip, in [0, 1]. Default 0.5. */
        public Builder flipProbability(double v) {
            this.flipProbability = checkUnit("flipProbability", v);
            return this;
        }

        /** Brightness jitter b in [0, 1]: factor uniform in [1-b, 1+b]. Default 0.4. */
        public Builder brightness(double v) {
            this.brightness = checkUnit("brightness", v);
            return this;
        }

        /** Contrast jitter c in [0, 1]: blend toward the mean with factor uniform in [1-c, 1+c]. Default 0.4. */
        public Builder contrast(double v) {
            this.contrast = checkUnit("contrast", v);
            return this;
        }

        /** Standard deviation of gaussian noise per value, in [0, 1]. Default 0.05. */
        public Builder noiseStd(double v) {
            this.noiseStd = checkUnit("noiseStd", v);
            return this;
        }

        /** Chance of one cutout square, in [0, 1]. Default 0.25. */
        public Builder cutoutProbability(double v) {
            this.cutoutProbability = checkUnit("cutoutProbability", v);
            return this;
        }

        /** Largest cutout side as a fraction of the output size, in (0, 1]. Default 0.4. */
        public Builder cutoutMaxFraction(double v) {
            this.cutoutMaxFraction = checkFraction("cutoutMaxFraction", v);
            return this;
        }

        /** The settings; checks what needs two values (ranges) and that outputSize was set. */
        public ImageAugmentation build() {
            if (outputSize < 0) {
                throw new IllegalArgumentException("outputSize is required");
            }
            if (cropScaleMin > cropScaleMax) {
                throw new IllegalArgumentException("cropScaleMin must be <= cropScaleMax, got "
                        + fmt(cropScaleMin) + " > " + fmt(cropScaleMax));
            }
            if (cropRatioMin > cropRatioMax) {
                throw new IllegalArgumentException("cropRatioMin must be <= cropRatioMax, got "
                        + fmt(cropRatioMin) + " > " + fmt(cropRatioMax));
            }
            return new ImageAugmentation(this);
        }

        private static double checkFraction(String name, double v) {
            if (!(v > 0 && v <= 1)) {
                throw new IllegalArgumentException(name + " must be in (0, 1], got " + fmt(v));
            }
            return v;
        }

        private static double checkUnit(String name, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], got " + fmt(v));
            }
            return v;
        }

        private static double checkRatio(String name, double v) {
            if (!(v > 0 && Double.isFinite(v))) {
                throw new IllegalArgumentException(name + " must be finite and > 0, got " + fmt(v));
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
