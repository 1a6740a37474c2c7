package io.streamcl.learn;

import io.streamcl.ingest.Hashes;
import java.util.List;
import java.util.Objects;

/**
 * A streaming estimate of how often each item is sampled, q(item), for the logQ correction of in-batch
 * negatives (Yi et al. 2019, "Sampling-Bias-Corrected Neural Modeling for Large Corpus Item
 * Recommendations"): with negatives drawn from the stream, popular items are negatives more often than
 * uniform sampling would make them, so the trainer uses s(x, y) - log q(y) as the logit.
 *
 * <p>The estimate is an exponentially decayed count in a count-min sketch (Cormode and Muthukrishnan
 * 2005) with conservative update (Estan and Varghese 2002): {@code depth} rows of {@code width}
 * counters, one hash per row; an observation raises each of the item's counters to at least their
 * minimum plus the new weight, and an item's count is the minimum over its counters. So memory is
 * bounded whatever the number of items, an item never needs to be registered, and the count is never
 * below the true decayed count (collisions can only add). Yi et al.'s own estimator (one hashed array of
 * the average step gap between an item's occurrences) is bounded too, but gives nothing usable for an
 * unseen item and one hash collision replaces rather than adds; a count supports add-one smoothing.
 *
 * <p>Decay: an observation t steps old weighs 2^(-t / halfLife), so q follows a drifting stream
 * ({@code halfLife} = infinity: plain counts). It is done lazily: each new observation weighs 2^(1/halfLife)
 * times the previous one and every counter is rescaled only when the weights grow large.
 *
 * <p>{@link #probability} is (count + 1) / (total + 1), where total is the decayed number of
 * observations: add-one smoothing, so never 0 (an unseen item gets 1 / (total + 1)) and never above 1. It
 * is not normalised over the catalogue (the sum over items can exceed 1), which does not matter for
 * logQ: a constant added to every logit cancels in the softmax, so only ratios of q matter.
 *
 * <p>Not thread-safe; it belongs to the one trainer of its kind.
 */
public final class ItemFrequency {

    public static final int DEFAULT_WIDTH = 1 << 16;
    public static final int DEFAULT_DEPTH = 4;
    public static final double DEFAULT_HALF_LIFE = 1_000_000;

    private static final double RESCALE_AT = 1e150;

    private final int width;
    private final int depth;
    private final double halfLife;
    private final double growth; // weight of an observation relative to the previous one, 2^(1/halfLife)
    private final double[] counters; // [depth][width], row-major
    private final int[] cells; // scratch: this observation's cell per row
    private double weight = 1; // the weight of the newest observation, in counter units
    private double total; // sum of all weights, in counter units
    private long observations;

    /**
     * A sketch of {@value #DEFAULT_DEPTH} x {@value #DEFAULT_WIDTH} counters (2 MiB) with a half-life of a
     * million observations.
     */
    public ItemFrequency() {
        this(DEFAULT_WIDTH, DEFAULT_DEPTH, DEFAULT_HALF_LIFE);
    }

    /**
     * @param width counters per row, in [16, 2^24]; more distinct items than this collide heavily
     * @param depth rows (hashes), in [1, 16]
     * @param halfLife observations after which an observation weighs half, >= 1; infinity for no decay
     */
    public ItemFrequency(int width, int depth, double halfLife) {
        if (width < 16 || width > (1 << 24)) {
            throw new IllegalArgumentException("width must be in [16, 16777216], got " + width);
        }
        if (depth < 1 || depth > 16) {
            throw new IllegalArgumentException("depth must be in [1, 16], got " + depth);
        }
        if (!(halfLife >= 1)) {
            throw new IllegalArgumentException("halfLife must be >= 1 (infinity for no decay), got " + halfLife);
        }
        this.width = width;
        this.depth = depth;
        this.halfLife = halfLife;
        this.growth = Math.pow(2, 1 / halfLife);
        this.counters = new double[depth * width];
        this.cells = new int[depth];
    }

    public int width() {
        return width;
    }

    public int depth() {
        return depth;
    }

    public double halfLife() {
        return halfLife;
    }

    /** Observations so far, undecayed. */
    public long observations() {
        return observations;
    }

    /** Records one occurrence of an item in the stream (e.g. as a positive in a training batch). */
    public void observe(String itemId) {
        Objects.requireNonNull(itemId, "itemId");
        if (observations > 0) {
            weight *= growth;
            if (weight > RESCALE_AT) {
                rescale();
            }
        }
        locate(itemId);
        double min = Double.POSITIVE_INFINITY;
        for (int r = 0; r < depth; r++) {
            min = Math.min(min, counters[cells[r]]);
        }
        double target = min + weight;
        for (int r = 0; r < depth; r++) {
            counters[cells[r]] = Math.max(counters[cells[r]], target);
        }
        total += weight;
        observations++;
    }

    /** The decayed count of an item (in units of the newest observation's weight, 1); 0 if never seen. */
    public double count(String itemId) {
        Objects.requireNonNull(itemId, "itemId");
        locate(itemId);
        double min = Double.POSITIVE_INFINITY;
        for (int r = 0; r < depth; r++) {
            min = Math.min(min, counters[cells[r]]);
        }
        return min / weight;
    }

    /** The decayed number of observations, the sum of all counts. */
    public double total() {
        return total / weight;
    }

    /** q(item) = (count + 1) / (total + 1), in (0, 1]. */
    public double probability(String itemId) {
        return (count(itemId) + 1) / (total() + 1);
    }

    /**
     * log q of each item, for the logQ correction of a batch.
     *
     * @return [items.size()], each <= 0 and finite
     */
    public double[] logProbabilities(List<String> items) {
        double[] out = new double[items.size()];
        double logDenominator = Math.log(total() + 1);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.log(count(items.get(i)) + 1) - logDenominator;
        }
        return out;
    }

    /** Divides every counter by the current weight, so the newest observation weighs 1 again. */
    private void rescale() {
        double inv = 1 / weight;
        for (int i = 0; i < counters.length; i++) {
            counters[i] *= inv;
        }
        total *= inv;
        weight = 1;
    }

    /** Fills {@link #cells} with the item's counter index in each row. */
    private void locate(String itemId) {
        long h = Hashes.hash64(itemId);
        for (int r = 0; r < depth; r++) {
            long hr = Hashes.mix64(h + (r + 1) * Hashes.GOLDEN_GAMMA);
            cells[r] = r * width + (int) Long.remainderUnsigned(hr, width);
        }
    }

    @Override
    public String toString() {
        return "ItemFrequency{width=" + width + ", depth=" + depth + ", halfLife=" + halfLife
                + ", observations=" + observations + ", total=" + total() + "}";
    }
}
