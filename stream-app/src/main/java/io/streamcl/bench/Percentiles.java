package io.streamcl.bench;

import java.util.Arrays;

/** Medians and percentiles of measurements. */
public final class Percentiles {
    private Percentiles() {}

    /** The median; NaN for none. */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return of(sorted, 50);
    }

    /**
     * The p-th percentile of sorted values by linear interpolation between closest ranks; NaN for none.
     *
     * @param p in [0, 100]
     */
    public static double of(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double rank = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }
}
