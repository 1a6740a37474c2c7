package io.streamcl.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * The export file formats (one row per id, its latest embedding), UTF-8, gzip-compressed when the
 * name ends in {@code .gz}.
 *
 * <ul>
 *   <li>CSV: a header {@code id,model_version,v0,v1,...,v{d-1}}, then one row per id; fields quoted per
 *       RFC 4180 when they hold a comma, a quote or a line break. On read, columns are found by name;
 *       optional {@code kind}, {@code model_name}, {@code model_step} columns are used when present.
 *   <li>JSONL: one object per line, {@code {"id":..., "kind":..., "model_name":..., "model_version":...,
 *       "model_step":..., "dim":..., "vector":[...]}}. On read, a JSON array of such objects is accepted
 *       too; unknown fields are ignored.
 * </ul>
 *
 * <p>Floats are written in their shortest round-trip form, so a write then read gives the same bits.
 * Non-finite values are refused on write and on read.
 */
public final class EmbeddingFile {

    /**
     * Types as JSON has them: no number read from a string or into one, no fraction into an integer, so that
     * a wrong type is an error on its line rather than a guess.
     */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();
    private static final int SNIFF_LIMIT = 1 << 16;

    private EmbeddingFile() {}

    /** The two export formats. */
    public enum Format {
        CSV, JSONL;

        /**
         * The format named by the file's extension ({@code .csv}, {@code .jsonl}, {@code .json},
         * {@code .ndjson}, each optionally followed by {@code .gz}), or null.
         */
        public static Format ofPath(Path file) {
            String name = baseName(file);
            if (name.endsWith(".csv")) {
                return CSV;
            }
            if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
                return JSONL;
            }
            return null;
        }
    }

    /** Writes all rows; see {@link #writer}. */
    public static void write(Path file, Format format, Collection<ExportedEmbedding> rows) throws IOException {
        try (Writer out = writer(file, format)) {
            for (ExportedEmbedding row : rows) {
                out.write(row);
            }
        }
    }

    /**
     * Opens a streaming writer, replacing the file. In CSV, the first row fixes the dimension for all;
     * an empty CSV file has the header {@code id,model_version}.
     */
    public static Writer writer(Path file, Format format) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        try {
            boolean gzip = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
            OutputStream stream = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            return format == Format.CSV ? new CsvWriter(out, file) : new JsonlWriter(out, file);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Reads every row. The format comes from the extension ({@code .csv}, {@code .jsonl}, {@code .json},
     * after an optional {@code .gz}), else from the first non-blank character ({@code {} or {@code [} for
     * JSON, anything else CSV). Gzip is detected by its magic bytes.
     *
     * @throws IOException if the file cannot be read or a row is malformed; the message names the line
     */
    public static List<ExportedEmbedding> read(Path file) throws IOException {
        try (BufferedReader in = openText(file)) {
            Format format = Format.ofPath(file);
            if (format == null) {
                format = sniff(in);
            }
            return format == Format.CSV ? readCsv(in, file.toString()) : readJson(in, file.toString());
        }
    }

    /** A UTF-8 reader over the file, decompressed if it starts with the gzip magic bytes. */
    static BufferedReader openText(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(io.streamcl.ingest.DataFiles.open(file), StandardCharsets.UTF_8), 1 << 16);
    }


    private static String baseName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    private static Format sniff(BufferedReader in) throws IOException {
        in.mark(SNIFF_LIMIT);
        try {
            for (int i = 0; i < SNIFF_LIMIT; i++) {
                int c = in.read();
                if (c < 0) {
                    return Format.CSV;
                }
                if (c == '{' || c == '[') {
                    return Format.JSONL;
                }
                if (!Character.isWhitespace(c) && c != '\uFEFF') {
                    return Format.CSV;
                }
            }
            return Format.CSV;
        } finally {
            in.reset();
        }
    }

    // ---- writing

    /** A streaming writer of one export file. Not thread-safe. */
    public abstract static sealed class Writer implements Closeable permits CsvWriter, JsonlWriter {
        final Path file;
        long rows;

        Writer(Path file) {
            this.file = file;
        }

        /** Appends one row. */
        public final void write(ExportedEmbedding row) throws IOException {
            for (int t = 0; t < row.vector().length; t++) {
                if (!Float.isFinite(row.vector()[t])) {
                    throw new IllegalArgumentException("non-finite value in the vector of id " + row.id()
                            + " at index " + t + ": " + row.vector()[t]);
                }
            }
            writeRow(row);
            rows++;
        }

        /** Rows written so far. */
        public long rows() {
            return rows;
        }

        abstract void writeRow(ExportedEmbedding row) throws IOException;
    }

    static final class CsvWriter extends Writer {
        private final BufferedWriter out;
        private int dim = -1;

        CsvWriter(BufferedWriter out, Path file) {
            super(file);
            this.out = out;
        }

        @Override
        void writeRow(ExportedEmbedding row) throws IOException {
            if (dim < 0) {
                dim = row.dim();
                writeHeader();
            } else if (row.dim() != dim) {
                throw new IllegalArgumentException("id " + row.id() + " has dim " + row.dim()
                        + " but earlier rows have " + dim + ": a CSV file holds one dimension");
            }
            out.write(Csv.field(row.id()));
            out.write(',');
            out.write(Long.toString(row.modelVersion()));
            for (float v : row.vector()) {
                out.write(',');
                out.write(Float.toString(v));
            }
            out.write('\n');
        }

        private void writeHeader() throws IOException {
            out.write("id,model_version");
            for (int t = 0; t < Math.max(dim, 0); t++) {
                out.write(",v");
                out.write(Integer.toString(t));
            }
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            try (out) {
                if (dim < 0) {
                    writeHeader();
                }
            }
        }
    }

    static final class JsonlWriter extends Writer {
        private final JsonGenerator gen;

        JsonlWriter(BufferedWriter out, Path file) throws IOException {
            super(file);
            this.gen = JSON.createGenerator(out);
            gen.setRootValueSeparator(new SerializedString("\n"));
        }

        @Override
        void writeRow(ExportedEmbedding row) throws IOException {
            JSON.writeValue(gen, new JsonRow(row.id(), row.kind(), row.modelName(), row.modelVersion(), row.modelStep(),
                    row.dim(), row.vector()));
        }

        @Override
        public void close() throws IOException {
            try (gen) {
                if (rows > 0) {
                    gen.writeRaw('\n');
                }
            }
        }
    }

    // ---- reading

    private static List<ExportedEmbedding> readCsv(BufferedReader in, String source) throws IOException {
        Csv.RecordReader reader = new Csv.RecordReader(in, source);
        List<String> header = reader.next();
        List<ExportedEmbedding> rows = new ArrayList<>();
        if (header == null) {
            return rows;
        }
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            if (column.putIfAbsent(header.get(i).trim(), i) != null) {
                throw reader.error(1, "duplicate column " + header.get(i));
            }
        }
        int idCol = required(column, "id", reader);
        int versionCol = required(column, "model_version", reader);
        int kindCol = column.getOrDefault("kind", -1);
        int nameCol = column.getOrDefault("model_name", -1);
        int stepCol = column.getOrDefault("model_step", -1);
        int dim = 0;
        while (column.containsKey("v" + dim)) {
            dim++;
        }
        for (String name : column.keySet()) {
            if (name.matches("v\\d+") && Long.parseLong(name.substring(1)) >= dim) {
                throw reader.error(1, "vector columns must be v0..v" + (dim - 1) + " with none missing, found " + name);
            }
        }
        int[] vectorCols = new int[dim];
        Arrays.setAll(vectorCols, t -> column.get("v" + t));

        for (List<String> fields = reader.next(); fields != null; fields = reader.next()) {
            int line = reader.recordLine();
            if (fields.size() != header.size()) {
                throw reader.error(line, "expected " + header.size() + " fields, found " + fields.size());
            }
            if (dim == 0) {
                throw reader.error(1, "no vector columns (v0, v1, ...)");
            }
            String id = fields.get(idCol);
            if (id.isEmpty()) {
                throw reader.error(line, "empty id");
            }
            long version = parseLong(fields.get(versionCol), "model_version", reader, line);
            long step = stepCol < 0
                    ? ExportedEmbedding.UNKNOWN_STEP : parseLong(fields.get(stepCol), "model_step", reader, line);
            float[] vector = new float[dim];
            for (int t = 0; t < dim; t++) {
                vector[t] = parseFloat(fields.get(vectorCols[t]).trim(), "v" + t, reader, line);
            }
            rows.add(new ExportedEmbedding(id, kindCol < 0 ? "" : fields.get(kindCol),
                    nameCol < 0 ? "" : fields.get(nameCol), version, step, vector));
        }
        return rows;
    }

    private static int required(Map<String, Integer> column, String name, Csv.RecordReader reader) throws IOException {
        Integer i = column.get(name);
        if (i == null) {
            throw reader.error(1, "the header has no '" + name + "' column");
        }
        return i;
    }

    private static long parseLong(String text, String what, Csv.RecordReader reader, int line) throws IOException {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw reader.error(line, what + " is not an integer: '" + text + "'");
        }
    }

    private static float parseFloat(String text, String what, Csv.RecordReader reader, int line) throws IOException {
        float v;
        try {
            v = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw reader.error(line, what + " is not a number: '" + text + "'");
        }
        if (!Float.isFinite(v)) {
            throw reader.error(line, what + " is not finite: '" + text + "'");
        }
        return v;
    }

    private static List<ExportedEmbedding> readJson(BufferedReader in, String source) throws IOException {
        List<ExportedEmbedding> rows = new ArrayList<>();
        try (JsonParser p = JSON.createParser(in)) {
            try {
                JsonToken token = p.nextToken();
                boolean array = token == JsonToken.START_ARRAY;
                if (array) {
                    token = p.nextToken();
                }
                while (token != null) {
                    if (array && token == JsonToken.END_ARRAY) {
                        if (p.nextToken() != null) {
                            throw lineError(source, p.currentTokenLocation().getLineNr(), "content after the closing ']'");
                        }
                        break;
                    }
                    if (token != JsonToken.START_OBJECT) {
                        throw lineError(source, p.currentTokenLocation().getLineNr(),
                                "expected an object, found " + token);
                    }
                    rows.add(readObject(p, source));
                    token = p.nextToken();
                }
            } catch (JsonEOFException e) {
                throw new IOException(source + ": line " + p.getParsingContext().startLocation(null).getLineNr()
                        + ": the JSON value is not closed before the end of the file", e);
            } catch (JsonProcessingException e) {
                long line = e.getLocation() == null ? p.currentLocation().getLineNr() : e.getLocation().getLineNr();
                throw new IOException(source + ": line " + line + ": " + e.getOriginalMessage(), e);
            }
        }
        return rows;
    }

    /** Reads one object; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    private static ExportedEmbedding readObject(JsonParser p, String source) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonRow row;
        try {
            row = JSON.readValue(p, JsonRow.class);
        } catch (MismatchedInputException e) {
            throw lineError(source, line, wrongType(e));
        }
        if (row.id() == null || row.id().isEmpty()) {
            throw lineError(source, line, "missing or empty 'id'");
        }
        if (row.modelVersion() == null) {
            throw lineError(source, line, "missing 'model_version'");
        }
        float[] vector = row.vector();
        if (vector == null || vector.length == 0) {
            throw lineError(source, line, "missing or empty 'vector'");
        }
        for (float v : vector) {
            if (!Float.isFinite(v)) {
                throw lineError(source, line, "'vector' holds a non-finite value: " + v);
            }
        }
        if (row.dim() != null && row.dim() != vector.length) {
            throw lineError(source, line, "'dim' is " + row.dim() + " but the vector has " + vector.length + " values");
        }
        return new ExportedEmbedding(row.id(), Objects.requireNonNullElse(row.kind(), ""),
                Objects.requireNonNullElse(row.modelName(), ""), row.modelVersion(),
                Objects.requireNonNullElse(row.modelStep(), ExportedEmbedding.UNKNOWN_STEP), vector);
    }

    /** A field of the wrong JSON type, said by the field: Jackson's own message names Java types. */
    private static String wrongType(MismatchedInputException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        String field = path.isEmpty() ? null : path.get(0).getFieldName();
        if (field == null) {
            return e.getOriginalMessage();
        }
        return switch (field) {
            case "vector" -> path.size() > 1 ? "'vector' holds a non-number" : "'vector' must be an array of numbers";
            case "id", "kind", "model_name" -> "'" + field + "' must be a string";
            case "model_version", "model_step", "dim" -> "'" + field + "' must be an integer";
            default -> e.getOriginalMessage();
        };
    }

    private static IOException lineError(String source, int line, String message) {
        return new IOException(source + ": line " + line + ": " + message);
    }

    /** One JSONL row, as written and read; on read a missing field is null and unknown ones are ignored. */
    @JsonPropertyOrder({"id", "kind", "model_name", "model_version", "model_step", "dim", "vector"})
    private record JsonRow(String id, String kind, @JsonProperty("model_name") String modelName,
            @JsonProperty("model_version") Long modelVersion, @JsonProperty("model_step") Long modelStep, Integer dim,
            float[] vector) {}
}
