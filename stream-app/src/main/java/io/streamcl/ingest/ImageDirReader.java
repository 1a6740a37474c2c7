package io.streamcl.ingest;

import io.streamcl.schema.ImageEncoding;
import io.streamcl.schema.ImageItem;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Image files in a directory tree, as {@link ImageItem}s carrying the original encoded bytes.
 */
public final class ImageDirReader {

    /**
     * An image file found by {@link #list}.
     *
     * @param path the file
     * @param encoding from the extension: .png is PNG, .jpg and .jpeg are JPEG
     */
    public record ImageFile(Path path, ImageEncoding encoding) {}

    private ImageDirReader() {}

    /**
     * All *.png, *.jpg and *.jpeg files under {@code dir} (recursive, extension case-insensitive),
     * sorted by their path relative to {@code dir} with '/' separators, so the order (and ids made from
     * it) is stable across runs and machines.
     */
    public static List<ImageFile> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a directory: " + dir);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> {
                        ImageEncoding e = encodingOf(p);
                        return e == null ? null : new ImageFile(p, e);
                    })
                    .filter(f -> f != null)
                    .sorted(Comparator.comparing(f -> relativeName(dir, f.path())))
                    .collect(Collectors.toList());
        }
    }

    /** The path of {@code file} relative to {@code dir}, with '/' separators: a stable id. */
    public static String relativeName(Path dir, Path file) {
        Path rel = dir.relativize(file);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /** Reads one file within {@link ImageLimits#DEFAULT}; see {@link #read(ImageFile, ImageLimits)}. */
    public static ImageItem read(ImageFile f) throws InvalidItemException {
        return read(f, ImageLimits.DEFAULT);
    }

    /**
     * Reads one file into an ImageItem carrying its original bytes. The image is decoded once to learn
     * width, height and channels (1 grey, 3 colour, 4 with alpha) and to make sure it decodes. The
     * encoding is taken from the content when it is PNG or JPEG (a misnamed file still works).
     *
     * @throws InvalidItemException when the file cannot be read, exceeds the limits or does not decode
     */
    public static ImageItem read(ImageFile f, ImageLimits limits) throws InvalidItemException {
        byte[] bytes;
        try {
            long size = Files.size(f.path());
            if (size > limits.maxBytes()) {
                throw new InvalidItemException(f.path() + ": " + size + " bytes, more than the limit " + limits.maxBytes());
            }
            bytes = Files.readAllBytes(f.path());
        } catch (IOException e) {
            throw new InvalidItemException(f.path() + ": cannot read: " + e.getMessage(), e);
        }
        ImageEncoding encoding = ImageIoDecoding.sniff(bytes);
        if (encoding == null) {
            encoding = f.encoding();
        }
        BufferedImage img;
        try {
            img = ImageIoDecoding.decode(bytes, encoding, (w, h) -> {
                if (w > limits.maxSide() || h > limits.maxSide()) {
                    throw new InvalidItemException("image " + w + "x" + h + " exceeds the largest side " + limits.maxSide());
                }
            });
        } catch (InvalidItemException e) {
            throw new InvalidItemException(f.path() + ": " + e.getMessage(), e);
        }
        return ImageItem.newBuilder()
                .setWidth(img.getWidth())
                .setHeight(img.getHeight())
                .setChannels(ImageIoDecoding.channelsOf(img))
                .setEncoding(encoding)
                .setBytes(ByteBuffer.wrap(bytes))
                .build();
    }

    private static ImageEncoding encodingOf(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return ImageEncoding.PNG;
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return ImageEncoding.JPEG;
        }
        return null;
    }
}
