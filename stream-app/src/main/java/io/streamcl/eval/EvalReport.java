package io.streamcl.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A small results table: named rows (e.g. "learned v12", "untrained v0", "raw pixels") by named columns
 * (e.g. "kNN top-1", "uniformity"), double values with NaN for a blank cell, and optional string
 * metadata (settings, file names, counts).
 *
 * <p>{@link #toText()} renders aligned columns with 3 decimals; a column whose values are all whole
 * numbers, at least one above 1 in size (a count), is rendered without decimals. {@link #toJson()} gives
 * {@code {"title":..., "columns":[...], "rows":[{"name":..., "values":{column: value}}], "meta":{...}}}
 * with null for a blank (NaN or infinite) cell; {@link #fromJson} reads it back.
 */
public final class EvalReport {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One row.
     *
     * @param values one value per column, in column order; NaN for blank
     */
    public record Row(String name, List<Double> values) {
        public Row {
            Objects.requireNonNull(name, "name");
            values = List.copyOf(values);
        }
    }

    private final String title;
    private final List<String> columns;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, String> meta = new LinkedHashMap<>();

    /**
     * @param columns distinct column names
     */
    public EvalReport(String title, List<String> columns) {
        this.title = Objects.requireNonNull(title, "title");
        this.columns = List.copyOf(columns);
        if (new HashSet<>(this.columns).size() != this.columns.size()) {
            throw new IllegalArgumentException("duplicate column in " + columns);
        }
    }

    /**
     * Appends a row.
     *
     * @param values one per column, in column order; NaN for blank
     */
    public EvalReport addRow(String name, double... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row " + name + " has " + values.length + " values for "
                    + columns.size() + " columns");
        }
        if (rows.stream().anyMatch(r -> r.name().equals(name))) {
            throw new IllegalArgumentException("duplicate row " + name);
        }
        rows.add(new Row(name, Arrays.stream(values).boxed().toList()));
        return this;
    }

    /** Appends a row from values by column name; a column left out is blank. */
    public EvalReport addRow(String name, Map<String, Double> values) {
        for (String column : values.keySet()) {
            if (!columns.contains(column)) {
                throw new IllegalArgumentException("row " + name + " has a value for unknown column " + column);
            }
        }
        double[] ordered = new double[columns.size()];
        for (int c = 0; c < ordered.length; c++) {
            Double v = values.get(columns.get(c));
            ordered[c] = v == null ? Double.NaN : v;
        }
        return addRow(name, ordered);
    }

    /** Adds or replaces one metadata entry. */
    public EvalReport putMeta(String key, String value) {
        meta.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    public String title() {
        return title;
    }

    public List<String> columns() {
        return columns;
    }

    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    public Map<String, String> meta() {
        return Collections.unmodifiableMap(meta);
    }

    /** The value in a cell (NaN if blank). */
    public double value(String row, String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("no column " + column);
        }
        return rows.stream().filter(r -> r.name().equals(row)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no row " + row))
                .values().get(c);
    }

    /** The title line, then a header and one line per row, columns right-aligned. */
    public String toText() {
        int nameWidth = rows.stream().mapToInt(r -> r.name().length()).max().orElse(0);
        String[][] cells = new String[rows.size()][columns.size()];
        int[] width = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            boolean counts = isCountColumn(c);
            width[c] = columns.get(c).length();
            for (int r = 0; r < rows.size(); r++) {
                cells[r][c] = format(rows.get(r).values().get(c), counts);
                width[c] = Math.max(width[c], cells[r][c].length());
            }
        }
        StringBuilder out = new StringBuilder(title).append('\n');
        out.append(" ".repeat(nameWidth));
        for (int c = 0; c < columns.size(); c++) {
            out.append("  ").append(padLeft(columns.get(c), width[c]));
        }
        out.append('\n');
        for (int r = 0; r < rows.size(); r++) {
            String name = rows.get(r).name();
            out.append(name).append(" ".repeat(nameWidth - name.length()));
            for (int c = 0; c < columns.size(); c++) {
                out.append("  ").append(padLeft(cells[r][c], width[c]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private boolean isCountColumn(int c) {
        boolean any = false;
        for (Row row : rows) {
            double v = row.values().get(c);
            if (Double.isNaN(v)) {
                continue;
            }
            if (Double.isInfinite(v) || v != Math.rint(v) || Math.abs(v) > 1e15) {
                return false;
            }
            any |= Math.abs(v) > 1;
        }
        return any;
    }

    private static String format(double v, boolean count) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (count) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.equals("-0.000") ? "0.000" : s;
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(width - s.length()) + s;
    }

    /** The report as pretty-printed JSON; blank (NaN or infinite) cells are null. */
    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("title", title);
        ArrayNode cols = root.putArray("columns");
        columns.forEach(cols::add);
        ArrayNode rowsNode = root.putArray("rows");
        for (Row row : rows) {
            ObjectNode r = rowsNode.addObject();
            r.put("name", row.name());
            ObjectNode values = r.putObject("values");
            for (int c = 0; c < columns.size(); c++) {
                double v = row.values().get(c);
                if (Double.isFinite(v)) {
                    values.put(columns.get(c), v);
                } else {
                    values.putNull(columns.get(c));
                }
            }
        }
        if (!meta.isEmpty()) {
            ObjectNode m = root.putObject("meta");
            meta.forEach(m::put);
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a tree of strings and numbers", e);
        }
    }

    /**
     * Reads what {@link #toJson()} writes.
     *
     * @throws IllegalArgumentException if the text is not such a report
     */
    public static EvalReport fromJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.path("title").isTextual() || !root.path("columns").isArray()) {
            throw new IllegalArgumentException("not a report: needs a \"title\" string and a \"columns\" array");
        }
        List<String> columns = new ArrayList<>();
        root.get("columns").forEach(c -> columns.add(c.asText()));
        EvalReport report = new EvalReport(root.get("title").asText(), columns);
        for (JsonNode row : root.path("rows")) {
            if (!row.path("name").isTextual()) {
                throw new IllegalArgumentException("a row has no \"name\": " + row);
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> f : row.path("values").properties()) {
                if (!f.getValue().isNull() && !f.getValue().isNumber()) {
                    throw new IllegalArgumentException("row " + row.get("name").asText() + ", column " + f.getKey()
                            + ": not a number: " + f.getValue());
                }
                values.put(f.getKey(), f.getValue().isNull() ? Double.NaN : f.getValue().doubleValue());
            }
            report.addRow(row.get("name").asText(), values);
        }
        for (Map.Entry<String, JsonNode> m : root.path("meta").properties()) {
            report.putMeta(m.getKey(), m.getValue().asText());
        }
        return report;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvalReport r && title.equals(r.title) && columns.equals(r.columns)
                && rows.equals(r.rows) && meta.equals(r.meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(title, columns, rows, meta);
    }

    @Override
    public String toString() {
        return toText();
    }
}
