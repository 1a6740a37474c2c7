package io.streamcl.eval;

import java.util.Arrays;

/**
 * The labels of a labelled set as dense classes {@code c in [0, size())}, ordered by label value, so
 * that votes and logits are arrays. Labels are any non-negative ints, in any number.
 */
final class ClassIndex {
    private final int[] labels;
    private final int[] itemClass;

    private ClassIndex(int[] labels, int[] itemClass) {
        this.labels = labels;
        this.itemClass = itemClass;
    }

    /**
     * @param itemLabels one label per item, {@code expected} of them, each >= 0
     * @param name what the labels are called in an error message
     * @throws IllegalArgumentException when their number is wrong or one is negative
     */
    static ClassIndex of(int[] itemLabels, int expected, String name) {
        checkLabels(itemLabels, expected, name);
        int[] labels = Arrays.stream(itemLabels).sorted().distinct().toArray();
        int[] itemClass = new int[itemLabels.length];
        for (int i = 0; i < itemLabels.length; i++) {
            itemClass[i] = Arrays.binarySearch(labels, itemLabels[i]);
        }
        return new ClassIndex(labels, itemClass);
    }

    static void checkLabels(int[] labels, int expected, String name) {
        if (labels == null || labels.length != expected) {
            throw new IllegalArgumentException(name + " has length "
                    + (labels == null ? "null" : labels.length) + ", expected " + expected);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException(name + "[" + i + "] is negative: " + labels[i]);
            }
        }
    }

    int size() {
        return labels.length;
    }

    /** The dense class of item i. */
    int classOf(int item) {
        return itemClass[item];
    }

    /** The label of dense class c. */
    int label(int c) {
        return labels[c];
    }

    /**
     * The weighted kNN vote of InstDisc (see {@link KnnClassifier}): each neighbour votes for its class with
     * weight exp((s_i - s_max) / T); the largest total wins, ties to the smaller label.
     *
     * @param neighbours item indices, {@code [from, from + count)} used, best first
     * @param sims their similarities, aligned with {@code neighbours}
     * @param votes scratch of {@link #size()} zeros, left all zeros again
     * @return the winning label
     */
    int vote(int[] neighbours, float[] sims, int from, int count, double temperature, double[] votes) {
        float best = sims[from];
        for (int i = from; i < from + count; i++) {
            votes[itemClass[neighbours[i]]] += Math.exp((sims[i] - best) / temperature);
        }
        int winner = -1;
        double winnerVotes = -1;
        for (int i = from; i < from + count; i++) {
            int c = itemClass[neighbours[i]];
            if (votes[c] > winnerVotes || (votes[c] == winnerVotes && c < winner)) {
                winner = c;
                winnerVotes = votes[c];
            }
        }
        for (int i = from; i < from + count; i++) {
            votes[itemClass[neighbours[i]]] = 0;
        }
        return labels[winner];
    }

    /** The fraction of predictions equal to the truth, in [0, 1]. */
    static double accuracy(int[] predicted, int[] truth) {
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == truth[i]) {
                correct++;
            }
        }
        return (double) correct / predicted.length;
    }
}
