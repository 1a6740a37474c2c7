package io.streamcl.bench;

import io.streamcl.ingest.CsvSyntax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVPrinter;

/**
 * BENCHMARKS.md and its CSV from the sections' reports, in the order the sections ran. Users script against
 * both, so the layout is fixed: a heading per section, and the CSV's columns {@code section,subject,metric,value}.
 */
public final class BenchReport {
    /** The CSV's columns. */
    public static final List<String> CSV_COLUMNS = List.of("section", "subject", "metric", "value");

    private BenchReport() {}

    public static void write(List<SectionReport> sections, Path markdownFile, Path csvFile) throws IOException {
        Files.writeString(markdownFile, markdown(sections));
        Files.writeString(csvFile, csv(sections));
    }

    public static String markdown(List<SectionReport> sections) {
        StringBuilder out = new StringBuilder();
        for (SectionReport section : sections) {
            for (SectionReport.Block block : section.blocks()) {
                if (block instanceof SectionReport.Heading h) {
                    out.append("\n## ").append(h.title()).append("\n\n");
                } else if (block instanceof SectionReport.Text t) {
                    out.append(t.text());
                } else if (block instanceof SectionReport.Table t) {
                    out.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
                    out.append("---|".repeat(t.header().size())).append('\n');
                    for (List<String> row : t.rows()) {
                        out.append("| ").append(String.join(" | ", row)).append(" |\n");
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    /** Every figure, four decimals, empty where it is NaN. */
    public static String csv(List<SectionReport> sections) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, CsvSyntax.RFC4180)) {
            printer.printRecord(CSV_COLUMNS);
            for (SectionReport section : sections) {
                for (SectionReport.Figure f : section.figures()) {
                    printer.printRecord(f.section(), f.subject(), f.metric(),
                            Double.isNaN(f.value()) ? "" : String.format(Locale.ROOT, "%.4f", f.value()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return out.toString();
    }
}
