package io.streamcl.augment;

import io.streamcl.ingest.ImageTensor;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Augmented views of an image for contrastive training, and its clean (un-augmented) form for
 * embedding. Works for any input size and 1, 3 or 4 channels; the output always has shape
 * (outputChannels, S, S), CHW, values in [0, 1].
 *
 * <p>A view is, in this order (draws from the generator in this order too):
 * <ol>
 *   <li>random resized crop: area fraction uniform in [cropScaleMin, cropScaleMax], aspect ratio
 *       log-uniform in [cropRatioMin, cropRatioMax], up to 10 tries to fit the image, else the whole
 *       image; sampled bilinearly to S x S with channels converted on the way;</li>
 *   <li>horizontal flip with flipProbability;</li>
 *   <li>brightness: x * f, f uniform in [1-b, 1+b], clamped to [0, 1];</li>
 *   <li>contrast: m + f (x - m), m the mean of all values of the view, f uniform in [1-c, 1+c],
 *       clamped;</li>
 *   <li>gaussian noise N(0, noiseStd^2) on every value;</li>
 *   <li>cutout with cutoutProbability: one square of side uniform in [1, max(1, floor(cutoutMaxFraction
 *       S))], placed wholly inside the view, set to 0 in every channel;</li>
 *   <li>clamp to [0, 1].</li>
 * </ol>
 * A step whose strength or probability is 0 is skipped and draws nothing, so
 * {@link ImageAugmentation#none} gives views equal to {@link #clean}.
 *
 * <p>Allocates one output array per call. Stateless; safe to share between threads (the generators
 * are not).
 */
public final class ImageAugmenter implements Augmenter<ImageTensor, float[]> {

    /** Tries of the random crop before falling back to the whole image (as in torchvision). */
    static final int CROP_TRIES = 10;

    private final ImageAugmentation cfg;
    private final double logRatioMin;
    private final double logRatioMax;

    public ImageAugmenter(ImageAugmentation settings) {
        this.cfg = Objects.requireNonNull(settings, "settings");
        this.logRatioMin = Math.log(settings.cropRatioMin());
        this.logRatioMax = Math.log(settings.cropRatioMax());
    }

    public ImageAugmentation settings() {
        return cfg;
    }

    /**
     * One augmented view.
     *
     * @param img input, shape (C, H, W), C in {1, 3, 4}
     * @return shape (outputChannels, S, S), values in [0, 1]
     */
    @Override
    public float[] view(ImageTensor img, SplittableRandom rng) {
        int s = cfg.outputSize();
        int c = cfg.outputChannels();
        float[] out = new float[c * s * s];

        cropInto(img, rng, out);
        if (cfg.flipProbability() > 0 && rng.nextDouble() < cfg.flipProbability()) {
            flipHorizontal(out, c, s);
        }
        if (cfg.brightness() > 0) {
            float f = (float) uniform(rng, 1 - cfg.brightness(), 1 + cfg.brightness());
            for (int k = 0; k < out.length; k++) {
                out[k] = clamp01(out[k] * f);
            }
        }
        if (cfg.contrast() > 0) {
            float f = (float) uniform(rng, 1 - cfg.contrast(), 1 + cfg.contrast());
            float m = mean(out);
            for (int k = 0; k < out.length; k++) {
                out[k] = clamp01(m + f * (out[k] - m));
            }
        }
        if (cfg.noiseStd() > 0) {
            double std = cfg.noiseStd();
            for (int k = 0; k < out.length; k++) {
                out[k] += (float) (std * rng.nextGaussian());
            }
        }
        if (cfg.cutoutProbability() > 0 && rng.nextDouble() < cfg.cutoutProbability()) {
            int maxSide = Math.max(1, (int) Math.floor(cfg.cutoutMaxFraction() * s));
            int side = 1 + rng.nextInt(maxSide);
            int x0 = rng.nextInt(s - side + 1);
            int y0 = rng.nextInt(s - side + 1);
            for (int ch = 0; ch < c; ch++) {
                for (int y = y0; y < y0 + side; y++) {
                    int row = (ch * s + y) * s;
                    Arrays.fill(out, row + x0, row + x0 + side, 0f);
                }
            }
        }
        for (int k = 0; k < out.length; k++) {
            out[k] = clamp01(out[k]);
        }
        return out;
    }

    /**
     * The input for embedding: whole image, channels converted, resized to S x S; no randomness.
     *
     * @param img input, shape (C, H, W), C in {1, 3, 4}
     * @return shape (outputChannels, S, S), values in [0, 1]
     */
    public float[] clean(ImageTensor img) {
        int s = cfg.outputSize();
        float[] out = new float[cfg.outputChannels() * s * s];
        ImageOps.resizeBilinear(img, 0, 0, img.width(), img.height(), s, cfg.outputChannels(), out);
        return out;
    }

    private void cropInto(ImageTensor img, SplittableRandom rng, float[] out) {
        int s = cfg.outputSize();
        double W = img.width();
        double H = img.height();
        if (cfg.cropScaleMin() < 1) {
            double area = W * H;
            for (int t = 0; t < CROP_TRIES; t++) {
                double target = area * uniform(rng, cfg.cropScaleMin(), cfg.cropScaleMax());
                double ratio = Math.exp(uniform(rng, logRatioMin, logRatioMax));
                double w = Math.sqrt(target * ratio);
                double h = Math.sqrt(target / ratio);
                if (w <= W && h <= H) {
                    double x0 = uniform(rng, 0, W - w);
                    double y0 = uniform(rng, 0, H - h);
                    ImageOps.resizeBilinear(img, (float) x0, (float) y0, (float) w, (float) h,
                            s, cfg.outputChannels(), out);
                    return;
                }
            }
        }
        ImageOps.resizeBilinear(img, 0, 0, (float) W, (float) H, s, cfg.outputChannels(), out);
    }

    /** Mirrors each row of a (c, s, s) image in place. */
    static void flipHorizontal(float[] a, int c, int s) {
        for (int row = 0; row < c * s; row++) {
            int l = row * s;
            int r = l + s - 1;
            while (l < r) {
                float t = a[l];
                a[l++] = a[r];
                a[r--] = t;
            }
        }
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private static float mean(float[] a) {
        double sum = 0;
        for (float v : a) {
            sum += v;
        }
        return (float) (sum / a.length);
    }

    private static float clamp01(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}
