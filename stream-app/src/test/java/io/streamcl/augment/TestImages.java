package io.streamcl.augment;

import io.streamcl.ingest.ImageTensor;
import java.util.SplittableRandom;

/** Images for tests. */
final class TestImages {

    private TestImages() {}

    /** Random values in [0, 1], shape (c, h, w). */
    static ImageTensor random(int c, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble();
        }
        return new ImageTensor(c, h, w, d);
    }

    /** Every value equal to v, shape (c, h, w). */
    static ImageTensor constant(int c, int h, int w, float v) {
        float[] d = new float[c * h * w];
        java.util.Arrays.fill(d, v);
        return new ImageTensor(c, h, w, d);
    }

    /** A horizontal ramp (value grows with x), same in every channel, shape (c, h, w). */
    static ImageTensor rampX(int c, int h, int w) {
        float[] d = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[(ch * h + y) * w + x] = (x + 0.5f) / w;
                }
            }
        }
        return new ImageTensor(c, h, w, d);
    }

    static float mean(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return (float) (s / a.length);
    }

    static float variance(float[] a) {
        float m = mean(a);
        double s = 0;
        for (float v : a) {
            s += (v - m) * (v - m);
        }
        return (float) (s / a.length);
    }
}
