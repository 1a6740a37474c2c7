package io.streamcl.bench;

import io.streamcl.config.Settings;
import io.streamcl.kind.ImageKind;
import io.streamcl.learn.NativeAllocator;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The top of BENCHMARKS.md: the command that wrote it, the machine, and the settings every section starts from. */
public final class BenchHeader {
    private BenchHeader() {}

    /**
     * @param commandLineTail the options to rerun it with, after {@code bench} (empty, or starting with a space)
     * @param csvName the CSV's file name, written beside the Markdown
     */
    public static SectionReport report(Settings shared, String commandLineTail, String csvName) {
        Settings settings = shared.forKind(ImageKind.NAME);
        SectionReport report = new SectionReport();
        report.text("# Benchmarks\n\nWritten by `java -jar stream-app/target/stream-app.jar bench%s` on %s, in %s.\n",
                commandLineTail, ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                "one run of that command");
        report.text("Every figure below comes from that run; `%s` beside this file has each of them.\n\n", csvName);
        report.text("Machine: %d cores, %s %s, Java %s, device `%s`, native allocator tuning %s.\n\n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), settings.get(Settings.DEVICE),
                NativeAllocator.enabled() ? "on" : "off");
        report.text("Settings (image kind unless said): method %s, batch %d, bank %d, temperature %s, replay %dx (each"
                        + " item is learned %d times), CNN channels %s, embedding %d, projection %d, %d stream threads,"
                        + " %s.%n", settings.get(Settings.METHOD), settings.get(Settings.BATCH_SIZE),
                settings.get(Settings.BANK_SIZE), settings.text(Settings.TEMPERATURE), settings.get(Settings.REPLAY_UPDATES),
                settings.get(Settings.REPLAY_UPDATES), settings.text(ImageKind.IMAGE_CONV_CHANNELS),
                settings.get(Settings.EMBEDDING_DIM), settings.get(Settings.PROJECTION_DIM),
                settings.get(Settings.STREAM_THREADS), settings.get(Settings.PROCESSING_GUARANTEE));
        return report;
    }
}
