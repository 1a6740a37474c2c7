package io.streamcl.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 fields: quoting on write, a record reader that knows its line numbers. */
final class Csv {

    private Csv() {}

    /** The field as written: quoted (with doubled quotes) if it holds a comma, a quote or a line break. */
    static String field(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + value.replace("\"", "\"\"") + '"';
            }
        }
        return value;
    }

    /**
     * Reads records of RFC 4180 fields; a quoted field may span lines. Blank lines between records are
     * skipped and a UTF-8 byte-order mark at the start is dropped.
     */
    static final class RecordReader {
        private final BufferedReader in;
        private final String source;
        private int line;
        private int recordLine;

        RecordReader(BufferedReader in, String source) {
            this.in = in;
            this.source = source;
        }

        /** The line (from 1) on which the last record returned by {@link #next} starts. */
        int recordLine() {
            return recordLine;
        }

        /** The next record's fields, or null at the end of the input. */
        List<String> next() throws IOException {
            String text;
            do {
                text = in.readLine();
                if (text == null) {
                    return null;
                }
                line++;
                if (line == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
            } while (text.isEmpty());
            recordLine = line;

            List<String> fields = new ArrayList<>();
            if (text.indexOf('"') < 0) {
                // fast path: no quoting on this line
                int start = 0;
                for (int comma = text.indexOf(','); comma >= 0; comma = text.indexOf(',', start)) {
                    fields.add(text.substring(start, comma));
                    start = comma + 1;
                }
                fields.add(text.substring(start));
                return fields;
            }
            StringBuilder field = new StringBuilder();
            boolean quoted = false;      // the current field started with a quote
            boolean inQuotes = false;    // inside the quotes of the current field
            int i = 0;
            while (true) {
                if (i == text.length()) {
                    if (!inQuotes) {
                        fields.add(field.toString());
                        return fields;
                    }
                    text = in.readLine();
                    if (text == null) {
                        throw error(recordLine, "quoted field is not closed before the end of the file");
                    }
                    line++;
                    field.append('\n');
                    i = 0;
                    continue;
                }
                char c = text.charAt(i++);
                if (inQuotes) {
                    if (c != '"') {
                        field.append(c);
                    } else if (i < text.length() && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        inQuotes = false;
                        if (i < text.length() && text.charAt(i) != ',') {
                            throw error(line, "unexpected '" + text.charAt(i) + "' after a closing quote");
                        }
                    }
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    quoted = false;
                } else if (c == '"') {
                    if (quoted || field.length() > 0) {
                        throw error(line, "quote inside an unquoted field");
                    }
                    quoted = true;
                    inQuotes = true;
                } else {
                    if (quoted) {
                        throw error(line, "unexpected '" + c + "' after a closing quote");
                    }
                    field.append(c);
                }
            }
        }

        IOException error(int atLine, String message) {
            return new IOException(source + ": line " + atLine + ": " + message);
        }
    }
}
