package io.streamcl.ingest;

import java.util.Arrays;

/**
 * An image as floats, channel-major: {@code data} has shape (channels, height, width), so the value of
 * channel {@code c} at row {@code y}, column {@code x} is {@code data[(c * height + y) * width + x]}.
 * Values are expected in [0, 1] (not checked: that would cost a pass over the data).
 *
 * <p>The array is shared, not copied: treat it as read-only once the tensor is made.
 *
 * @param channels number of channels C, at least 1
 * @param height image height H, at least 1
 * @param width image width W, at least 1
 * @param data values, shape (C, H, W), length C*H*W
 */
public record ImageTensor(int channels, int height, int width, float[] data) {

    public ImageTensor {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must be > 0, got " + height + "x" + width);
        }
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        long expected = (long) channels * height * width;
        if (data.length != expected) {
            throw new IllegalArgumentException("data for " + channels + "x" + height + "x" + width
                    + " (CxHxW) needs " + expected + " floats, got " + data.length);
        }
    }

    /** The value of channel {@code c} at row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** Number of values, C*H*W. */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageTensor t
                && t.channels == channels && t.height == height && t.width == width
                && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "ImageTensor[" + channels + "x" + height + "x" + width + " (CxHxW)]";
    }
}
