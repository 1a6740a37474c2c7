package io.streamcl.eval;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Exact top-k search by dot product, the kernel behind {@link KnnClassifier} and {@link PairRetrieval}.
 *
 * <p>Queries are processed in blocks of {@value #BLOCK}, blocks in parallel; each block streams the
 * whole memory once, in tiles of 4 memory rows x 2 queries, and each query keeps a bounded min-heap of
 * its k best so far. The result does
 * not depend on the number of threads: neighbours are ordered by similarity, then by lower memory index.
 */
final class NearestNeighbours {

    static final int BLOCK = 64;

    private NearestNeighbours() {}

    /** Receives the neighbours of one block of queries; called concurrently for different blocks. */
    @FunctionalInterface
    interface BlockSink {
        /**
         * @param first index of the block's first query
         * @param count queries in the block
         * @param k neighbours per query
         * @param idx [count * k] memory indices, each query's row best first
         * @param sims [count * k] the matching similarities
         */
        void accept(int first, int count, int k, int[] idx, float[] sims);
    }

    /**
     * @param memory [n * dim], row-major, n >= 1
     * @param queries [nq * dim], row-major
     * @param k neighbours per query, 1 <= k <= n
     */
    static void search(float[] memory, float[] queries, int dim, int k, BlockSink sink) {
        int n = memory.length / dim;
        int nq = queries.length / dim;
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
        }
        int blocks = (nq + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int first = b * BLOCK;
            int count = Math.min(BLOCK, nq - first);
            searchBlock(memory, n, queries, first, count, dim, k, sink);
        });
    }

    private static void searchBlock(float[] memory, int n, float[] queries, int first, int count,
                                    int dim, int k, BlockSink sink) {
        // per query q, a heap in [q * k, q * k + size[q]) whose root is the worst kept neighbour
        Heaps heaps = new Heaps(count, k);
        int last = first + count;
        int j = 0;
        // 4 memory rows x 2 queries per tile: each loaded value is used 2 or 4 times from registers.
        // Every dot product sums over t in order, so it equals the plain loop bit for bit.
        for (; j + 4 <= n; j += 4) {
            int m0 = j * dim;
            int m1 = m0 + dim;
            int m2 = m1 + dim;
            int m3 = m2 + dim;
            int q = first;
            for (; q + 2 <= last; q += 2) {
                int p0 = q * dim;
                int p1 = p0 + dim;
                float s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
                for (int t = 0; t < dim; t++) {
                    float x0 = queries[p0 + t];
                    float x1 = queries[p1 + t];
                    float a = memory[m0 + t];
                    float b = memory[m1 + t];
                    float c = memory[m2 + t];
                    float d = memory[m3 + t];
                    s00 += a * x0;
                    s01 += a * x1;
                    s10 += b * x0;
                    s11 += b * x1;
                    s20 += c * x0;
                    s21 += c * x1;
                    s30 += d * x0;
                    s31 += d * x1;
                }
                int r = q - first;
                heaps.offer(r, j, s00);
                heaps.offer(r, j + 1, s10);
                heaps.offer(r, j + 2, s20);
                heaps.offer(r, j + 3, s30);
                heaps.offer(r + 1, j, s01);
                heaps.offer(r + 1, j + 1, s11);
                heaps.offer(r + 1, j + 2, s21);
                heaps.offer(r + 1, j + 3, s31);
            }
            for (; q < last; q++) {
                for (int i = 0; i < 4; i++) {
                    heaps.offer(q - first, j + i, dot(memory, (j + i) * dim, queries, q * dim, dim));
                }
            }
        }
        for (; j < n; j++) {
            for (int q = first; q < last; q++) {
                heaps.offer(q - first, j, dot(memory, j * dim, queries, q * dim, dim));
            }
        }
        float[] heapSim = heaps.sim;
        int[] heapIdx = heaps.idx;

        int[] outIdx = new int[count * k];
        float[] outSim = new float[count * k];
        for (int q = 0; q < count; q++) {
            int off = q * k;
            for (int remaining = k; remaining > 0; remaining--) {
                outSim[off + remaining - 1] = heapSim[off];
                outIdx[off + remaining - 1] = heapIdx[off];
                heapSim[off] = heapSim[off + remaining - 1];
                heapIdx[off] = heapIdx[off + remaining - 1];
                siftDown(heapSim, heapIdx, off, remaining - 1, 0);
            }
        }
        sink.accept(first, count, k, outIdx, outSim);
    }

    private static float dot(float[] a, int ao, float[] b, int bo, int dim) {
        float s = 0;
        for (int t = 0; t < dim; t++) {
            s += a[ao + t] * b[bo + t];
        }
        return s;
    }

    /** One bounded min-heap of (similarity, index) per query of a block, in flat arrays. */
    private static final class Heaps {
        final int k;
        final float[] sim;
        final int[] idx;
        final int[] size;
        final float[] threshold;

        Heaps(int count, int k) {
            this.k = k;
            this.sim = new float[count * k];
            this.idx = new int[count * k];
            this.size = new int[count];
            this.threshold = new float[count];
            Arrays.fill(threshold, Float.NEGATIVE_INFINITY);
        }

        /** Offers memory row j to query r; rows must be offered in increasing j. */
        void offer(int r, int j, float s) {
            if (!(s > threshold[r])) {
                return;
            }
            int off = r * k;
            if (size[r] < k) {
                int pos = size[r]++;
                sim[off + pos] = s;
                idx[off + pos] = j;
                siftUp(sim, idx, off, pos);
                if (size[r] == k) {
                    threshold[r] = sim[off];
                }
            } else {
                // j is later than every kept index, so a tie with the root keeps the root
                sim[off] = s;
                idx[off] = j;
                siftDown(sim, idx, off, k, 0);
                threshold[r] = sim[off];
            }
        }
    }

    /** Whether heap entry a is a worse neighbour than b: lower similarity, or equal and a later index. */
    private static boolean worse(float[] sim, int[] idx, int a, int b) {
        return sim[a] < sim[b] || (sim[a] == sim[b] && idx[a] > idx[b]);
    }

    private static void siftUp(float[] sim, int[] idx, int off, int pos) {
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (!worse(sim, idx, off + pos, off + parent)) {
                return;
            }
            swap(sim, idx, off + pos, off + parent);
            pos = parent;
        }
    }

    private static void siftDown(float[] sim, int[] idx, int off, int size, int pos) {
        while (true) {
            int left = 2 * pos + 1;
            if (left >= size) {
                return;
            }
            int child = left;
            int right = left + 1;
            if (right < size && worse(sim, idx, off + right, off + left)) {
                child = right;
            }
            if (!worse(sim, idx, off + child, off + pos)) {
                return;
            }
            swap(sim, idx, off + pos, off + child);
            pos = child;
        }
    }

    private static void swap(float[] sim, int[] idx, int a, int b) {
        float s = sim[a];
        sim[a] = sim[b];
        sim[b] = s;
        int i = idx[a];
        idx[a] = idx[b];
        idx[b] = i;
    }
}
