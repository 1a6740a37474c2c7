package io.streamcl.eval;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Seeded random matrices and label files for the tests (of eval, and of the eval command in cli). */
public final class TestData {

    private TestData() {}

    /** [n][dim] standard Gaussian entries. */
    public static float[][] gaussian(Random rnd, int n, int dim) {
        float[][] x = new float[n][dim];
        for (float[] row : x) {
            for (int t = 0; t < dim; t++) {
                row[t] = (float) rnd.nextGaussian();
            }
        }
        return x;
    }

    /** [n][dim] points around centre, with isotropic Gaussian noise of the given standard deviation. */
    public static float[][] cluster(Random rnd, float[] centre, int n, double sd) {
        float[][] x = new float[n][centre.length];
        for (float[] row : x) {
            for (int t = 0; t < centre.length; t++) {
                row[t] = (float) (centre[t] + sd * rnd.nextGaussian());
            }
        }
        return x;
    }

    /** The unit vector along axis {@code axis}, scaled. */
    public static float[] axis(int dim, int axis, float scale) {
        float[] v = new float[dim];
        v[axis] = scale;
        return v;
    }

    static float[][] concat(float[][] a, float[][] b) {
        float[][] out = new float[a.length + b.length][];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int[] repeat(int label, int n) {
        int[] out = new int[n];
        java.util.Arrays.fill(out, label);
        return out;
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Writes an IDX label file: magic 0x00000801, count, one byte per label. */
    public static void writeIdxLabels(Path file, boolean gzip, int... labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000801);
            out.writeInt(labels.length);
            for (int label : labels) {
                out.writeByte(label);
            }
        }
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes.toByteArray());
        }
    }
}
