package io.streamcl.eval;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Item labels for evaluation, read from an IDX label file or a CSV file.
 *
 * <ul>
 *   <li>IDX (as in MNIST / Fashion-MNIST; gzip or not): magic 0x00000801, a count, one unsigned byte per
 *       item. The id of item i is {@code idPrefix + i} (i from 0); the label is the byte value and its
 *       name the value in decimal.
 *   <li>CSV with a header row: the {@code id} and {@code label} columns (by name; else the first two
 *       columns). Label strings become ints 0, 1, ... in order of first appearance; {@link #names()} keeps
 *       the strings. An empty label leaves the id unlabelled. The id prefix does not apply.
 * </ul>
 *
 * <p>The kind is sniffed from the content: gzip magic 0x1f8b is decompressed first, then IDX magic
 * 0x00000801 means IDX and anything else CSV.
 *
 * @param byId the label of every labelled id, in [0, names.size())
 * @param names the name of every label: {@code names.get(label)}
 */
public record Labels(Map<String, Integer> byId, List<String> names) {

    static final int IDX_LABEL_MAGIC = 0x00000801;

    public Labels {
        byId = Map.copyOf(byId);
        names = List.copyOf(names);
        for (Map.Entry<String, Integer> e : byId.entrySet()) {
            if (e.getValue() < 0 || e.getValue() >= names.size()) {
                throw new IllegalArgumentException("label " + e.getValue() + " of id " + e.getKey()
                        + " has no name (" + names.size() + " names)");
            }
        }
    }

    /** The labels of the file's ids; see {@link #load}. */
    public static Map<String, Integer> read(Path file, String idPrefix) throws IOException {
        return load(file, idPrefix).byId();
    }

    /**
     * Reads an IDX label file or a CSV {@code id,label} file, whichever the content is.
     *
     * @param idPrefix prepended to the item index to make an IDX id; ignored for CSV
     * @throws IOException if the file cannot be read or is malformed; a CSV message names the line
     */
    public static Labels load(Path file, String idPrefix) throws IOException {
        try (InputStream raw = io.streamcl.ingest.DataFiles.open(file);
             BufferedInputStream in = new BufferedInputStream(raw)) {
            in.mark(4);
            byte[] head = in.readNBytes(4);
            in.reset();
            if (head.length == 4 && head[0] == 0 && head[1] == 0) {
                return readIdx(in, file.toString(), idPrefix == null ? "" : idPrefix);
            }
            return readCsv(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), file.toString());
        }
    }

    /** The label of an id, or null if it has none. */
    public Integer label(String id) {
        return byId.get(id);
    }

    /** The name of a label. */
    public String name(int label) {
        return names.get(label);
    }

    /**
     * These labels renumbered into the reference's label space, matching by name: a name the reference
     * lacks gets a new label after the reference's. Use it before comparing labels from two CSV files,
     * whose numbers depend on the order in which names first appear.
     */
    public Labels alignedTo(Labels reference) {
        Map<String, Integer> index = new HashMap<>();
        List<String> merged = new ArrayList<>(reference.names);
        for (int i = 0; i < merged.size(); i++) {
            index.putIfAbsent(merged.get(i), i);
        }
        int[] remap = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Integer target = index.get(name);
            if (target == null) {
                target = merged.size();
                merged.add(name);
                index.put(name, target);
            }
            remap[i] = target;
        }
        Map<String, Integer> remapped = new HashMap<>(byId.size() * 2);
        byId.forEach((id, label) -> remapped.put(id, remap[label]));
        return new Labels(remapped, merged);
    }

    private static Labels readIdx(InputStream in, String source, String idPrefix) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int magic = data.readInt();
        if (magic != IDX_LABEL_MAGIC) {
            throw new IOException(source + ": not an IDX label file: magic 0x"
                    + String.format(Locale.ROOT, "%08x", magic) + ", expected 0x00000801");
        }
        int count = data.readInt();
        if (count < 0) {
            throw new IOException(source + ": negative IDX label count " + count);
        }
        byte[] values = data.readNBytes(count);
        if (values.length != count) {
            throw new IOException(source + ": truncated IDX label file: the header says " + count
                    + " labels, found " + values.length);
        }
        if (data.read() >= 0) {
            throw new IOException(source + ": IDX label file has bytes after its " + count + " labels");
        }
        Map<String, Integer> byId = new HashMap<>(count * 2);
        int max = -1;
        for (int i = 0; i < count; i++) {
            int label = values[i] & 0xff;
            byId.put(idPrefix + i, label);
            max = Math.max(max, label);
        }
        List<String> names = new ArrayList<>(max + 1);
        for (int label = 0; label <= max; label++) {
            names.add(Integer.toString(label));
        }
        return new Labels(byId, names);
    }

    private static Labels readCsv(BufferedReader in, String source) throws IOException {
        Csv.RecordReader reader = new Csv.RecordReader(in, source);
        List<String> header = reader.next();
        if (header == null) {
            throw new IOException(source + ": empty label file (expected a header row such as id,label)");
        }
        int idCol = -1;
        int labelCol = -1;
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).trim().toLowerCase(Locale.ROOT);
            if (name.equals("id") && idCol < 0) {
                idCol = i;
            } else if (name.equals("label") && labelCol < 0) {
                labelCol = i;
            }
        }
        if (idCol < 0 && labelCol < 0) {
            if (header.size() < 2) {
                throw reader.error(1, "expected a header with an id and a label column, found " + header);
            }
            idCol = 0;
            labelCol = 1;
        } else if (idCol < 0 || labelCol < 0) {
            throw reader.error(1, "the header has " + (idCol < 0 ? "no 'id'" : "no 'label'") + " column: " + header);
        }

        Map<String, Integer> byId = new HashMap<>();
        Map<String, Integer> labelOf = new LinkedHashMap<>();
        for (List<String> fields = reader.next(); fields != null; fields = reader.next()) {
            int line = reader.recordLine();
            if (fields.size() != header.size()) {
                throw reader.error(line, "expected " + header.size() + " fields, found " + fields.size());
            }
            String id = fields.get(idCol);
            String name = fields.get(labelCol).trim();
            if (id.isEmpty()) {
                throw reader.error(line, "empty id");
            }
            if (name.isEmpty()) {
                continue;
            }
            Integer label = labelOf.computeIfAbsent(name, k -> labelOf.size());
            Integer previous = byId.putIfAbsent(id, label);
            if (previous != null && !previous.equals(label)) {
                throw reader.error(line, "id " + id + " is labelled again, as '" + name + "'");
            }
        }
        return new Labels(byId, new ArrayList<>(labelOf.keySet()));
    }
}
