package io.streamcl.serve;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Prometheus' text exposition format (version 0.0.4) strictly enough for a test: every line is a
 * {@code # HELP} or {@code # TYPE} comment or a sample {@code name{label="value",...} number}.
 */
public final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})?"
                    + " (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");

    private PrometheusText() {}

    /**
     * @return every sample, {@code name{labels}} to its value
     * @throws AssertionError at the first line that is neither
     */
    public static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || COMMENT.matcher(line).matches()) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus text line: " + line);
            }
            String value = m.group(3);
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), value.equals("NaN") ? Double.NaN
                    : value.endsWith("Inf") ? (value.startsWith("-") ? Double.NEGATIVE_INFINITY
                    : Double.POSITIVE_INFINITY) : Double.parseDouble(value));
        }
        return samples;
    }
}
