package io.streamcl.schema.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

/**
 * Older (or newer) writer schemas that readers must still understand, shipped in the jar under
 * {@code avro/history/}. When a schema changes, copy its previous .avsc there and list the file in
 * {@code avro/history/index.txt}: records written by producers on that version keep decoding.
 */
public final class WriterSchemas {
    private static final String DIR = "avro/history/";

    private WriterSchemas() {}

    /** The shipped history; empty while every producer writes the current schemas. */
    public static SchemaStore.Cache shipped() {
        SchemaStore.Cache cache = new SchemaStore.Cache();
        for (String file : readResource(DIR + "index.txt").split("\\R")) {
            String name = file.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                cache.addSchema(parse(readResource(DIR + name)));
            }
        }
        return cache;
    }

    /** Parses a standalone .avsc text (named types it uses must be defined inline). */
    public static Schema parse(String avsc) {
        return new Schema.Parser().parse(avsc);
    }

    private static String readResource(String path) {
        try (InputStream in = WriterSchemas.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path + " in the schemas jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
