package io.streamcl.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens data files the way users have them: gzip or not, told by the content, never the name. */
public final class DataFiles {
    private static final int BUFFER = 1 << 16;

    private DataFiles() {}

    /** The file's bytes, decompressed when it starts with the gzip magic bytes 0x1f 0x8b. */
    public static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER) : in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw new IOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
