package io.streamcl.ingest;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * IDX files as used by MNIST and Fashion-MNIST: a big-endian magic (0x00000803 images,
 * 0x00000801 labels), the dimension sizes as big-endian ints, then unsigned bytes. Gzip is detected
 * from the content (0x1f 0x8b), not the file name.
 */
public final class IdxFile {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxFile() {}

    /** Reads an image file: count, rows, cols, then count*rows*cols bytes. */
    public static IdxImages readImages(Path path) throws IOException {
        try (DataInputStream in = open(path)) {
            checkMagic(path, in, IMAGES_MAGIC, "image");
            int count = readDim(path, in, "count");
            int rows = readDim(path, in, "rows");
            int cols = readDim(path, in, "cols");
            if (rows == 0 || cols == 0) {
                throw new IOException(path + ": image size must be positive, got " + rows + "x" + cols);
            }
            long n = (long) count * rows * cols;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IOException(path + ": " + count + " images of " + rows + "x" + cols + " is too large");
            }
            byte[] pixels = readBytes(path, in, (int) n, "pixel");
            return new IdxImages(count, rows, cols, pixels);
        }
    }

    /** Reads a label file: count, then count unsigned bytes, returned as ints 0..255. */
    public static int[] readLabels(Path path) throws IOException {
        try (DataInputStream in = open(path)) {
            checkMagic(path, in, LABELS_MAGIC, "label");
            int count = readDim(path, in, "count");
            byte[] bytes = readBytes(path, in, count, "label");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xFF;
            }
            return labels;
        }
    }

    /** Writes an image file; every image must have rows*cols bytes. */
    public static void writeImages(Path path, int rows, int cols, byte[][] images, boolean gzip) throws IOException {
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != rows * cols) {
                throw new IllegalArgumentException("image " + i + " has " + images[i].length + " bytes, expected "
                        + rows * cols);
            }
        }
        try (DataOutputStream out = create(path, gzip)) {
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(images.length);
            out.writeInt(rows);
            out.writeInt(cols);
            for (byte[] image : images) {
                out.write(image);
            }
        }
    }

    /** Writes a label file; labels must be in 0..255. */
    public static void writeLabels(Path path, int[] labels, boolean gzip) throws IOException {
        try (DataOutputStream out = create(path, gzip)) {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(labels.length);
            for (int label : labels) {
                if (label < 0 || label > 255) {
                    throw new IllegalArgumentException("label must be in 0..255, got " + label);
                }
                out.writeByte(label);
            }
        }
    }

    private static DataInputStream open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "IDX file not found");
        }
        return new DataInputStream(DataFiles.open(path));
    }

    private static DataOutputStream create(Path path, boolean gzip) throws IOException {
        OutputStream out = Files.newOutputStream(path);
        if (gzip) {
            out = new GZIPOutputStream(out, 1 << 16);
        }
        return new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
    }

    private static void checkMagic(Path path, DataInputStream in, int expected, String kind) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IOException(path + ": truncated IDX file (no magic number)", e);
        }
        if (magic != expected) {
            throw new IOException(path + ": not an IDX " + kind + " file (magic 0x" + String.format("%08x", magic)
                    + ", expected 0x" + String.format("%08x", expected) + ")");
        }
    }

    private static int readDim(Path path, DataInputStream in, String name) throws IOException {
        int v;
        try {
            v = in.readInt();
        } catch (EOFException e) {
            throw new IOException(path + ": truncated IDX header (no " + name + ")", e);
        }
        if (v < 0) {
            throw new IOException(path + ": negative " + name + " " + v + " in IDX header");
        }
        return v;
    }

    private static byte[] readBytes(Path path, DataInputStream in, int n, String kind) throws IOException {
        // a corrupt header must not make us allocate gigabytes: deflate cannot expand more than ~1032:1
        long bound = Files.size(path) * 1100L;
        if (n > bound) {
            throw new IOException(path + ": truncated IDX file: header promises " + n + " " + kind
                    + " bytes but the file has only " + Files.size(path) + " bytes");
        }
        byte[] out = new byte[n];
        int read = 0;
        try {
            while (read < n) {
                int r = in.read(out, read, n - read);
                if (r < 0) {
                    break;
                }
                read += r;
            }
        } catch (EOFException e) {
            // a gzip stream cut short ends here
        } catch (IOException e) {
            throw new IOException(path + ": corrupt IDX data: " + e.getMessage(), e);
        }
        if (read < n) {
            throw new IOException(path + ": truncated IDX file: expected " + n + " " + kind + " bytes, got " + read);
        }
        return out;
    }
}
