package io.streamcl.ingest;

import io.streamcl.schema.ImageEncoding;
import io.streamcl.schema.ImageItem;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;

/**
 * Turns an {@link ImageItem} from the wire into an {@link ImageTensor}, checking it against the
 * declared shape and the limits. Any bad input ends as {@link InvalidItemException} with a reason,
 * never as another exception.
 *
 * <p>The tensor has the item's channels for RAW_U8 (1, 3 or 4; alpha is dropped later by
 * {@code augment.ImageOps#toChannels}), and 1 (grey) or 3 channels for PNG/JPEG, as decoded. For PNG/JPEG only
 * width and height must match the declaration: the declared channel count is not compared, since
 * producers differ on palette and grey-with-alpha images.
 */
public final class ImageDecoder {

    private ImageDecoder() {}

    /**
     * Decodes and validates an image item.
     *
     * @return shape (C, height, width), values in [0, 1]
     * @throws InvalidItemException when the item breaks the schema's contract or the limits, or its
     *     bytes do not decode
     */
    public static ImageTensor decode(ImageItem item, ImageLimits limits) throws InvalidItemException {
        if (item == null) {
            throw new InvalidItemException("image item is null");
        }
        Integer width = item.getWidth();
        Integer height = item.getHeight();
        Integer channels = item.getChannels();
        ImageEncoding encoding = item.getEncoding();
        ByteBuffer buffer = item.getBytes();
        if (width == null || height == null || channels == null || encoding == null || buffer == null) {
            throw new InvalidItemException("image item has a null field (width, height, channels, encoding or bytes)");
        }
        int w = width;
        int h = height;
        int c = channels;
        if (w <= 0 || h <= 0) {
            throw new InvalidItemException("image size must be positive, got " + w + "x" + h);
        }
        if (w > limits.maxSide() || h > limits.maxSide()) {
            throw new InvalidItemException("image " + w + "x" + h + " exceeds the largest side " + limits.maxSide());
        }
        if (c != 1 && c != 3 && c != 4) {
            throw new InvalidItemException("channels must be 1, 3 or 4, got " + c);
        }
        if (buffer.remaining() > limits.maxBytes()) {
            throw new InvalidItemException("image has " + buffer.remaining() + " bytes, more than the limit "
                    + limits.maxBytes());
        }
        byte[] bytes = toArray(buffer);
        if (encoding == ImageEncoding.RAW_U8) {
            long needed = (long) w * h * c;
            if (bytes.length != needed) {
                throw new InvalidItemException("RAW_U8 image " + w + "x" + h + "x" + c + " needs " + needed
                        + " bytes, got " + bytes.length);
            }
            return ImagePixels.fromRawU8(w, h, c, bytes);
        }
        BufferedImage img = ImageIoDecoding.decode(bytes, encoding, (dw, dh) -> {
            if (dw != w || dh != h) {
                throw new InvalidItemException("declared " + w + "x" + h + " but " + encoding + " is " + dw + "x" + dh);
            }
        });
        try {
            return ImagePixels.fromBufferedImage(img);
        } catch (RuntimeException e) {
            throw new InvalidItemException("unreadable " + encoding + " pixels: " + e, e);
        }
    }

    /** The buffer's remaining bytes, without moving its position; no copy when it wraps a whole array. */
    static byte[] toArray(ByteBuffer buffer) {
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
