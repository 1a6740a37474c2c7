package io.streamcl.augment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Augmented views of an item sequence (a user's session), after CL4SRec (Xie et al. 2022, "Contrastive
 * Learning for Sequential Recommendation", sec. 3.2). Each view applies one of three operations, chosen
 * uniformly as in the paper:
 * <ul>
 *   <li><b>crop</b>: keep a random contiguous sub-sequence of length max(1, floor(eta * n));</li>
 *   <li><b>mask</b>: replace floor(gamma * n) items at random distinct positions by {@value #MASK};</li>
 *   <li><b>reorder</b>: shuffle a random contiguous sub-sequence of length floor(beta * n).</li>
 * </ul>
 * Two views of one session then share the user's intent but not the exact items or order, which is
 * what the encoder should learn to be invariant to. A view is never empty: crop keeps at least one item
 * and mask, with gamma < 1, leaves at least one unmasked. A sequence of one item comes back unchanged.
 */
public final class SequenceAugmenter implements Augmenter<List<String>, List<String>> {

    /** The token that replaces a masked item; the encoder gives it its own embedding. */
    public static final String MASK = "[mask]";

    /** The three operations; {@link #view} picks one uniformly. */
    public enum Op { CROP, MASK, REORDER }

    /**
     * The operations' strengths, validated on construction.
     *
     * @param eta fraction of the sequence a crop keeps, in (0, 1]; CL4SRec's default 0.6 here
     * @param gamma fraction of items a mask replaces, in [0, 1); 0.3 here
     * @param beta fraction of the sequence a reorder shuffles, in [0, 1]; 0.6 here
     */
    public record Options(double eta, double gamma, double beta) {
        public static final Options DEFAULT = new Options(0.6, 0.3, 0.6);

        public Options {
            if (!(eta > 0 && eta <= 1)) {
                throw new IllegalArgumentException("eta must be in (0, 1], got " + eta);
            }
            if (!(gamma >= 0 && gamma < 1)) {
                throw new IllegalArgumentException("gamma must be in [0, 1), got " + gamma);
            }
            if (!(beta >= 0 && beta <= 1)) {
                throw new IllegalArgumentException("beta must be in [0, 1], got " + beta);
            }
        }
    }

    private final Options options;

    /** An augmenter with {@link Options#DEFAULT}. */
    public SequenceAugmenter() {
        this(Options.DEFAULT);
    }

    public SequenceAugmenter(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public Options options() {
        return options;
    }

    /**
     * One view: crop, mask or reorder, chosen uniformly, all randomness from {@code rng}.
     *
     * @param input a non-empty sequence of non-null items, oldest first; not modified
     * @return an unmodifiable, non-empty sequence
     */
    @Override
    public List<String> view(List<String> input, SplittableRandom rng) {
        check(input);
        return make(Op.values()[rng.nextInt(3)], input, rng);
    }

    /** One view made with the given operation (for tests and for a caller that picks its own). */
    public List<String> apply(Op op, List<String> input, SplittableRandom rng) {
        Objects.requireNonNull(op, "op");
        check(input);
        return make(op, input, rng);
    }

    private List<String> make(Op op, List<String> input, SplittableRandom rng) {
        return switch (op) {
            case CROP -> crop(input, rng);
            case MASK -> mask(input, rng);
            case REORDER -> reorder(input, rng);
        };
    }

    private List<String> crop(List<String> s, SplittableRandom rng) {
        int n = s.size();
        int length = Math.max(1, (int) Math.floor(options.eta() * n));
        int start = rng.nextInt(n - length + 1);
        return List.copyOf(s.subList(start, start + length));
    }

    private List<String> mask(List<String> s, SplittableRandom rng) {
        int n = s.size();
        int masked = (int) Math.floor(options.gamma() * n);
        String[] out = s.toArray(String[]::new);
        int[] positions = new int[n];
        Arrays.setAll(positions, i -> i);
        for (int i = 0; i < masked; i++) { // partial Fisher-Yates: `masked` distinct positions
            int k = i + rng.nextInt(n - i);
            int p = positions[k];
            positions[k] = positions[i];
            positions[i] = p;
            out[p] = MASK;
        }
        return List.of(out);
    }

    private List<String> reorder(List<String> s, SplittableRandom rng) {
        int n = s.size();
        int length = (int) Math.floor(options.beta() * n);
        List<String> out = new ArrayList<>(s);
        if (length >= 2) {
            int start = rng.nextInt(n - length + 1);
            List<String> part = out.subList(start, start + length);
            for (int i = length - 1; i > 0; i--) {
                Collections.swap(part, i, rng.nextInt(i + 1));
            }
        }
        return List.copyOf(out);
    }

    private static void check(List<String> input) {
        if (input == null || input.isEmpty()) {
            throw new IllegalArgumentException("sequence is empty");
        }
        for (int i = 0; i < input.size(); i++) {
            if (input.get(i) == null) {
                throw new IllegalArgumentException("sequence[" + i + "] is null");
            }
        }
    }

    @Override
    public String toString() {
        return "SequenceAugmenter" + options;
    }
}
