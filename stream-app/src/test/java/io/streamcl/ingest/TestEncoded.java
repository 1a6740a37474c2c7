package io.streamcl.ingest;

import io.streamcl.schema.ImageEncoding;
import io.streamcl.schema.ImageItem;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;

/** Encoded images made with ImageIO for tests. */
final class TestEncoded {

    private TestEncoded() {}

    /** A w x h image of the given BufferedImage type with a diagonal gradient. */
    static BufferedImage gradient(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x * 255 / Math.max(1, w - 1) + y * 255 / Math.max(1, h - 1)) / 2;
                int a = type == BufferedImage.TYPE_INT_ARGB ? 0x80 : 0xFF;
                img.setRGB(x, y, (a << 24) | (v << 16) | ((255 - v) << 8) | (v / 2));
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ImageItem item(int w, int h, int c, ImageEncoding encoding, byte[] bytes) {
        return new ImageItem(w, h, c, encoding, ByteBuffer.wrap(bytes));
    }
}
