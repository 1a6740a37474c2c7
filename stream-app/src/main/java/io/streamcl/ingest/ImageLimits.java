package io.streamcl.ingest;

/**
 * Bounds on an incoming image, checked before any decoding so an oversized or hostile item costs
 * little.
 *
 * @param maxSide largest width or height in pixels, > 0
 * @param maxBytes largest encoded (or raw) byte count, > 0
 */
public record ImageLimits(int maxSide, int maxBytes) {

    /** 4096 pixels a side, 16 MiB. */
    public static final ImageLimits DEFAULT = new ImageLimits(4096, 16 * 1024 * 1024);

    public ImageLimits {
        if (maxSide <= 0) {
            throw new IllegalArgumentException("maxSide must be > 0, got " + maxSide);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        }
    }
}
