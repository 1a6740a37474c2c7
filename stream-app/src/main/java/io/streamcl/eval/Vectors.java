package io.streamcl.eval;

/** Shape checks and L2 normalisation shared by the metrics. */
final class Vectors {

    private Vectors() {}

    /**
     * The common length of the rows of a non-empty matrix.
     *
     * @param rows [n][dim], n >= 1, dim >= 1
     * @param name what the matrix is, for messages
     */
    static int dim(float[][] rows, String name) {
        if (rows == null || rows.length == 0) {
            throw new IllegalArgumentException(name + " is empty");
        }
        if (rows[0] == null || rows[0].length == 0) {
            throw new IllegalArgumentException(name + "[0] is empty");
        }
        return rows[0].length;
    }

    /**
     * A row-major copy with every row scaled to unit L2 norm. A zero row stays zero (its cosine
     * similarity to anything is then 0).
     *
     * @param rows [n][dim]; every row must have length dim and finite values
     * @return [n * dim]
     */
    static float[] normalisedFlat(float[][] rows, int dim, String name) {
        long size = (long) rows.length * dim;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + " is too large: " + rows.length + " x " + dim);
        }
        float[] flat = new float[(int) size];
        for (int i = 0; i < rows.length; i++) {
            normaliseInto(rows[i], dim, flat, i * dim, name, i);
        }
        return flat;
    }

    /** One row scaled to unit L2 norm (zero stays zero); the row must have length dim. */
    static float[] normalised(float[] row, int dim, String name, int index) {
        float[] out = new float[dim];
        normaliseInto(row, dim, out, 0, name, index);
        return out;
    }

    private static void normaliseInto(float[] row, int dim, float[] out, int offset, String name, int index) {
        if (row == null || row.length != dim) {
            throw new IllegalArgumentException(name + "[" + index + "] has length "
                    + (row == null ? "null" : row.length) + ", expected " + dim);
        }
        double sumSq = 0;
        for (float v : row) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(name + "[" + index + "] has a non-finite value: " + v);
            }
            sumSq += (double) v * v;
        }
        if (sumSq == 0) {
            return;
        }
        double norm = Math.sqrt(sumSq);
        for (int t = 0; t < dim; t++) {
            out[offset + t] = (float) (row[t] / norm);
        }
    }
}
