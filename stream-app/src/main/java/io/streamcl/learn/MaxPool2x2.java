package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * 2x2 max-pooling with stride 2, (N, C, H, W) to (N, C, H/2, W/2) (floor mode: an odd last row or column
 * is dropped). The same values as DJL's {@code Pool.maxPool2dBlock(2x2, 2x2)}, saved the same way, but
 * faster in inference (the MoCo key encoder, the embedders, evaluation; how much, BENCHMARKS.md says).
 *
 * <p>Why: libtorch's NCHW max-pool kernel keeps an int64 index per output and walks each window one
 * element at a time; in the bench's profile it took a third of the trainer's CPU. In inference the
 * window's maximum is two element-wise {@code maximum}s over strided views (row pairs, then column
 * pairs), which vectorise. In training we keep libtorch's kernel: its backward scatters through the saved
 * indices, far faster than autograd through the strided views.
 * Maximum is exact, so both paths give the same bits; {@code training} only picks the faster one.
 */
public final class MaxPool2x2 extends AbstractBlock {
    /** What DJL's LambdaBlock (behind {@code Pool.maxPool2dBlock}) writes, so earlier snapshots still load. */
    private static final byte VERSION = 2;
    private static final Shape WINDOW = new Shape(2, 2);
    private static final NDIndex EVEN_ROWS = new NDIndex(":, :, :, 0, :");
    private static final NDIndex ODD_ROWS = new NDIndex(":, :, :, 1, :");
    private static final NDIndex EVEN_COLUMNS = new NDIndex("..., 0");
    private static final NDIndex ODD_COLUMNS = new NDIndex("..., 1");

    public MaxPool2x2() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(training ? libtorch(x) : byMaximum(x));
    }

    /** libtorch's kernel, which training uses. @param x (N, C, H, W); returns (N, C, H/2, W/2) */
    public static NDArray libtorch(NDArray x) {
        return Pool.maxPool2d(x, WINDOW, WINDOW, new Shape(0, 0), false);
    }

    /** The inference path. @param x (N, C, H, W), H and W at least 2; returns (N, C, H/2, W/2) */
    public static NDArray byMaximum(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1), h = s.get(2) / 2, w = s.get(3) / 2;
        if (s.get(2) % 2 != 0 || s.get(3) % 2 != 0) {
            x = x.get(new NDIndex(":, :, :{}, :{}", 2 * h, 2 * w));
        }
        NDArray rowPairs = x.reshape(n, c, h, 2, 2 * w); // (N, C, H/2, 2, W)
        NDArray rows = rowPairs.get(EVEN_ROWS).maximum(rowPairs.get(ODD_ROWS)).reshape(n, c, h, w, 2);
        return rows.get(EVEN_COLUMNS).maximum(rows.get(ODD_COLUMNS)); // (N, C, H/2, W/2)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2)};
    }
}
