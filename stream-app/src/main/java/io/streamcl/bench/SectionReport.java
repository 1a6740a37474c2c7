package io.streamcl.bench;

import io.streamcl.eval.EvalReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one section of the benchmark found: its part of BENCHMARKS.md, in order, and every figure, for the CSV.
 * A section writes a figure once and puts the returned value into its text, so the two cannot disagree.
 */
public final class SectionReport {

    /** A piece of the section's Markdown. */
    public sealed interface Block permits Heading, Text, Table {}

    /** A level-2 heading. */
    public record Heading(String title) implements Block {}

    /** Prose, already formatted. */
    public record Text(String text) implements Block {}

    /** A table whose cells are already formatted. */
    public record Table(List<String> header, List<List<String>> rows) implements Block {
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    /** One row of the CSV; NaN where a figure could not be measured. */
    public record Figure(String section, String subject, String metric, double value) {}

    private final List<Block> blocks = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    /** Prose; {@code format} as {@link String#format}, with the root locale (a dot before decimals everywhere). */
    public SectionReport text(String format, Object... args) {
        blocks.add(new Text(String.format(Locale.ROOT, format, args)));
        return this;
    }

    public SectionReport heading(String title) {
        blocks.add(new Heading(title));
        return this;
    }

    public SectionReport table(List<String> header, List<List<String>> rows) {
        blocks.add(new Table(header, rows));
        return this;
    }

    /** A figure for the CSV; returns it, to write into the text as well. */
    public double figure(String section, String subject, String metric, double value) {
        figures.add(new Figure(section, subject, metric, value));
        return value;
    }

    /** An evaluation's title and table, its figures into the CSV under {@code section}. */
    public SectionReport evaluation(String section, EvalReport report) {
        blocks.add(new Text(report.title() + ":\n\n"));
        List<String> header = new ArrayList<>();
        header.add("representation");
        header.addAll(report.columns());
        List<List<String>> rows = new ArrayList<>();
        for (EvalReport.Row r : report.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(r.name());
            for (int c = 0; c < report.columns().size(); c++) {
                double v = figure(section, r.name(), report.columns().get(c), r.values().get(c));
                cells.add(Double.isNaN(v) ? "" : f3(v));
            }
            rows.add(cells);
        }
        return table(header, rows);
    }

    public static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    public static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    public static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
