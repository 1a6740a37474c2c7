package io.streamcl.ingest;

/**
 * Images from an IDX file (MNIST layout): {@code pixels} has shape (count, rows, cols), unsigned bytes,
 * row-major.
 *
 * @param count number of images
 * @param rows image height
 * @param cols image width
 * @param pixels count*rows*cols bytes, shared not copied
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    public IdxImages {
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("count must be >= 0 and rows, cols > 0, got "
                    + count + " x " + rows + "x" + cols);
        }
        if (pixels == null || pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " need "
                    + (long) count * rows * cols + " bytes, got " + (pixels == null ? "null" : pixels.length));
        }
    }

    /** A copy of image {@code i}: rows*cols bytes, row-major (the RAW_U8 layout with one channel). */
    public byte[] image(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("image " + i + " of " + count);
        }
        int size = rows * cols;
        byte[] out = new byte[size];
        System.arraycopy(pixels, i * size, out, 0, size);
        return out;
    }

    @Override
    public String toString() {
        return "IdxImages[" + count + " x " + rows + "x" + cols + "]";
    }
}
