package io.streamcl.augment;

import io.streamcl.ingest.ImagePixels;
import io.streamcl.ingest.ImageTensor;

/**
 * Pure image helpers on {@link ImageTensor} (CHW floats in [0, 1]). No state, no randomness.
 *
 * <p>Channel conversion: 3 or 4 to 1 by luminance (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B),
 * 4 to 3 drops alpha, 1 to 3 replicates. Because luminance is linear it commutes with bilinear
 * interpolation, so {@link #resizeBilinear(ImageTensor, float, float, float, float, int, int, float[])}
 * converts while it samples and needs no intermediate image.
 */
public final class ImageOps {

    private ImageOps() {}

    /**
     * Samples a crop rectangle into an outSize x outSize image with bilinear interpolation, keeping the
     * source channels.
     *
     * @param src source image, shape (C, H, W)
     * @param x0 left edge of the crop in source pixels (pixel k covers [k, k+1)); may be fractional
     * @param y0 top edge of the crop in source pixels
     * @param w crop width in source pixels, > 0
     * @param h crop height in source pixels, > 0
     * @param outSize side of the output, >= 1
     * @return shape (C, outSize, outSize)
     */
    public static float[] resizeBilinear(ImageTensor src, float x0, float y0, float w, float h, int outSize) {
        if (outSize < 1) {
            throw new IllegalArgumentException("outSize must be >= 1, got " + outSize);
        }
        float[] out = new float[src.channels() * outSize * outSize];
        resizeBilinear(src, x0, y0, w, h, outSize, src.channels(), out);
        return out;
    }

    /**
     * Samples a crop rectangle into {@code out}, converting channels on the way. Output pixel (i, j) has
     * its centre at source point (x0 + (j + 0.5) w / outSize, y0 + (i + 0.5) h / outSize); points outside
     * the image take the nearest edge value. With x0 = y0 = 0, w = W, h = H and outSize = W = H the
     * output equals the input exactly.
     *
     * @param src source image, shape (C, H, W), C in {1, 3, 4}, or any C when outChannels == C
     * @param outChannels 1 or 3, or src.channels()
     * @param out receives shape (outChannels, outSize, outSize) in its first outChannels*outSize^2 values
     */
    public static void resizeBilinear(ImageTensor src, float x0, float y0, float w, float h, int outSize,
                                      int outChannels, float[] out) {
        if (!(w > 0) || !(h > 0) || !Float.isFinite(w) || !Float.isFinite(h)
                || !Float.isFinite(x0) || !Float.isFinite(y0)) {
            throw new IllegalArgumentException("crop must be finite with positive size, got x0=" + x0
                    + " y0=" + y0 + " w=" + w + " h=" + h);
        }
        if (outSize < 1) {
            throw new IllegalArgumentException("outSize must be >= 1, got " + outSize);
        }
        int inC = src.channels();
        checkConversion(inC, outChannels);
        int plane = outSize * outSize;
        if (out.length < outChannels * plane) {
            throw new IllegalArgumentException("out needs " + outChannels * plane + " floats, got " + out.length);
        }
        float[] d = src.data();
        int W = src.width();
        int H = src.height();
        int inPlane = W * H;
        float sx = w / outSize;
        float sy = h / outSize;
        boolean luma = outChannels == 1 && inC >= 3;
        boolean replicate = outChannels == 3 && inC == 1;
        for (int i = 0; i < outSize; i++) {
            float fy = clamp(y0 + (i + 0.5f) * sy - 0.5f, 0f, H - 1);
            int ya = (int) fy;
            int yb = Math.min(ya + 1, H - 1);
            float ty = fy - ya;
            int rowA = ya * W;
            int rowB = yb * W;
            for (int j = 0; j < outSize; j++) {
                float fx = clamp(x0 + (j + 0.5f) * sx - 0.5f, 0f, W - 1);
                int xa = (int) fx;
                int xb = Math.min(xa + 1, W - 1);
                float tx = fx - xa;
                int o = i * outSize + j;
                if (luma) {
                    float r = sample(d, rowA, rowB, xa, xb, tx, ty);
                    float g = sample(d, inPlane + rowA, inPlane + rowB, xa, xb, tx, ty);
                    float b = sample(d, 2 * inPlane + rowA, 2 * inPlane + rowB, xa, xb, tx, ty);
                    out[o] = Math.min(1f, ImagePixels.LUMA_R * r + ImagePixels.LUMA_G * g + ImagePixels.LUMA_B * b);
                } else if (replicate) {
                    float v = sample(d, rowA, rowB, xa, xb, tx, ty);
                    out[o] = v;
                    out[plane + o] = v;
                    out[2 * plane + o] = v;
                } else {
                    for (int c = 0; c < outChannels; c++) {
                        int base = c * inPlane;
                        out[c * plane + o] = sample(d, base + rowA, base + rowB, xa, xb, tx, ty);
                    }
                }
            }
        }
    }

    /**
     * The image with {@code channels} channels: same tensor when it already has them, else 3/4 to 1 by
     * luminance, 4 to 3 by dropping alpha, 1 to 3 by replication.
     */
    public static ImageTensor toChannels(ImageTensor t, int channels) {
        if (t.channels() == channels) {
            return t;
        }
        checkConversion(t.channels(), channels);
        int plane = t.height() * t.width();
        float[] d = t.data();
        float[] out = new float[channels * plane];
        if (channels == 1) {
            for (int p = 0; p < plane; p++) {
                out[p] = Math.min(1f, ImagePixels.LUMA_R * d[p] + ImagePixels.LUMA_G * d[plane + p] + ImagePixels.LUMA_B * d[2 * plane + p]);
            }
        } else if (t.channels() == 1) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(d, 0, out, c * plane, plane);
            }
        } else {
            System.arraycopy(d, 0, out, 0, 3 * plane);
        }
        return new ImageTensor(channels, t.height(), t.width(), out);
    }

    private static void checkConversion(int in, int out) {
        if (in == out) {
            return;
        }
        boolean ok = (out == 1 && (in == 3 || in == 4))
                || (out == 3 && (in == 1 || in == 4));
        if (!ok) {
            throw new IllegalArgumentException("cannot convert " + in + " channels to " + out);
        }
    }

    private static float sample(float[] d, int rowA, int rowB, int xa, int xb, float tx, float ty) {
        float top = d[rowA + xa] + (d[rowA + xb] - d[rowA + xa]) * tx;
        float bottom = d[rowB + xa] + (d[rowB + xb] - d[rowB + xa]) * tx;
        return top + (bottom - top) * ty;
    }

    private static float clamp(float v, float lo, float hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
