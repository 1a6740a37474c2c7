package io.streamcl.cli;

import io.streamcl.eval.EvalReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** BENCHMARKS.md and its CSV, written as the sections are measured: every figure goes to both. */
final class BenchReport {
    private final StringBuilder markdown = new StringBuilder();
    private final StringBuilder csv = new StringBuilder("section,subject,metric,value\n");

    BenchReport text(String format, Object... args) {
        markdown.append(String.format(Locale.ROOT, format, args));
        return this;
    }

    BenchReport heading(String title) {
        markdown.append("\n## ").append(title).append("\n\n");
        return this;
    }

    /** A figure for the CSV; returns it, to write into the text as well. */
    double figure(String section, String subject, String metric, double value) {
        csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s%n", quote(section), quote(subject), quote(metric),
                Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.4f", value)));
        return value;
    }

    /** A markdown table; each row's cells are already formatted. */
    BenchReport table(List<String> header, List<List<String>> rows) {
        markdown.append("| ").append(String.join(" | ", header)).append(" |\n|");
        markdown.append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            markdown.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        markdown.append('\n');
        return this;
    }

    /** An evaluation table, its figures into the CSV under {@code section}. */
    BenchReport evaluation(String section, EvalReport report) {
        markdown.append(report.title()).append(":\n\n");
        List<String> header = new java.util.ArrayList<>();
        header.add("representation");
        header.addAll(report.columns());
        List<List<String>> rows = new java.util.ArrayList<>();
        for (EvalReport.Row r : report.rows()) {
            List<String> cells = new java.util.ArrayList<>();
            cells.add(r.name());
            for (int c = 0; c < report.columns().size(); c++) {
                double v = figure(section, r.name(), report.columns().get(c), r.values().get(c));
                cells.add(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v));
            }
            rows.add(cells);
        }
        return table(header, rows);
    }

    void write(Path markdownFile, Path csvFile) throws IOException {
        Files.writeString(markdownFile, markdown.toString());
        Files.writeString(csvFile, csv.toString());
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
