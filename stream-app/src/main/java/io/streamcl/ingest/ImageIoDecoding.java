package io.streamcl.ingest;

import io.streamcl.schema.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * PNG / JPEG decoding with javax.imageio, shared by {@link ImageDecoder} and {@link ImageDirReader}.
 * Reads the header first so the declared size (or the limits) are checked before any pixel is
 * decoded; never throws anything but {@link InvalidItemException} for bad bytes.
 */
final class ImageIoDecoding {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JPEG_MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    private ImageIoDecoding() {}

    /** Width and height read from the header, before decoding the pixels. */
    interface SizeCheck {
        void check(int width, int height) throws InvalidItemException;
    }

    /** The encoding the bytes start with, or null when neither PNG nor JPEG. */
    static ImageEncoding sniff(byte[] bytes) {
        if (startsWith(bytes, PNG_MAGIC)) {
            return ImageEncoding.PNG;
        }
        if (startsWith(bytes, JPEG_MAGIC)) {
            return ImageEncoding.JPEG;
        }
        return null;
    }

    /**
     * Decodes PNG or JPEG bytes.
     *
     * @param sizeCheck called with the header's width and height before the pixels are decoded
     */
    static BufferedImage decode(byte[] bytes, ImageEncoding encoding, SizeCheck sizeCheck)
            throws InvalidItemException {
        String name = encoding.name();
        if (sniff(bytes) != encoding) {
            throw new InvalidItemException("undecodable " + name + ": not a " + name + " stream");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(name.toLowerCase(java.util.Locale.ROOT));
        if (!readers.hasNext()) {
            throw new InvalidItemException("undecodable " + name + ": no ImageIO reader");
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            sizeCheck.check(w, h);
            BufferedImage img = reader.read(0);
            if (img == null) {
                throw new InvalidItemException("undecodable " + name + ": no image");
            }
            return img;
        } catch (IOException | RuntimeException e) {
            throw new InvalidItemException("undecodable " + name + ": " + describe(e), e);
        } finally {
            reader.dispose();
        }
    }

    /** 1 for grey, 3 for colour, 4 when the image has alpha. */
    static int channelsOf(BufferedImage img) {
        if (img.getColorModel().hasAlpha()) {
            return 4;
        }
        return ImagePixels.isGrey(img.getColorModel()) ? 1 : 3;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
