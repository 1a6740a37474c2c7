package io.streamcl.index;

/** Checks on the vectors an index takes and is asked with. */
final class Vectors {
    private Vectors() {}

    /**
     * The vector scaled to unit length.
     *
     * @throws IllegalArgumentException when it is empty, zero, or holds a NaN or an infinity
     */
    static float[] unit(float[] v) {
        if (v.length == 0) {
            throw new IllegalArgumentException("an empty vector");
        }
        double squares = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException("a vector with " + x + " in it");
            }
            squares += (double) x * x;
        }
        if (squares == 0) {
            throw new IllegalArgumentException("a zero vector has no direction to compare");
        }
        double norm = Math.sqrt(squares);
        float[] unit = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            unit[i] = (float) (v[i] / norm);
        }
        return unit;
    }
}
