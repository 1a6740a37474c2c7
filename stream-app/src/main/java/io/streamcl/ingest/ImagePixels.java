package io.streamcl.ingest;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Decoded pixels to an {@link ImageTensor} (CHW floats in [0, 1]): the last step of reading an image,
 * before any augmentation sees it.
 */
public final class ImagePixels {

    /** Luminance weights (ITU-R BT.601), for any conversion of colour to grey. */
    public static final float LUMA_R = 0.299f;
    public static final float LUMA_G = 0.587f;
    public static final float LUMA_B = 0.114f;

    private ImagePixels() {}

    /**
     * Unsigned bytes, row-major with channels interleaved (HWC, the RAW_U8 wire layout), to a CHW
     * tensor with values byte / 255.
     */
    public static ImageTensor fromRawU8(int w, int h, int c, byte[] hwc) {
        if (w < 1 || h < 1 || c < 1) {
            throw new IllegalArgumentException("width, height and channels must be > 0, got " + w + "x" + h + "x" + c);
        }
        long n = (long) w * h * c;
        if (hwc == null || hwc.length != n) {
            throw new IllegalArgumentException("RAW_U8 image " + w + "x" + h + "x" + c + " needs " + n
                    + " bytes, got " + (hwc == null ? "null" : hwc.length));
        }
        int plane = w * h;
        float[] out = new float[(int) n];
        int k = 0;
        for (int p = 0; p < plane; p++) {
            for (int ch = 0; ch < c; ch++) {
                out[ch * plane + p] = (hwc[k++] & 0xFF) / 255f;
            }
        }
        return new ImageTensor(c, h, w, out);
    }

    /**
     * A decoded image to a tensor: grey images (one colour component, not palette) give 1 channel read
     * from the raw samples at their bit depth; everything else gives 3 RGB channels. Alpha is dropped.
     */
    public static ImageTensor fromBufferedImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        ColorModel cm = img.getColorModel();
        if (isGrey(cm)) {
            Raster r = img.getRaster();
            // divide (not multiply by a reciprocal) so 8-bit values equal fromRawU8's byte / 255f exactly
            float max = (float) ((1L << cm.getComponentSize(0)) - 1);
            float[] out = new float[plane];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = Math.min(1f, row[x] / max);
                }
            }
            return new ImageTensor(1, h, w, out);
        }
        float[] out = new float[3 * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int p = y * w + x;
                out[p] = ((argb >> 16) & 0xFF) / 255f;
                out[plane + p] = ((argb >> 8) & 0xFF) / 255f;
                out[2 * plane + p] = (argb & 0xFF) / 255f;
            }
        }
        return new ImageTensor(3, h, w, out);
    }

    /** True for a grey image (one colour component, with or without alpha; not a palette). */
    public static boolean isGrey(ColorModel cm) {
        return cm.getNumColorComponents() == 1 && !(cm instanceof IndexColorModel);
    }
}
