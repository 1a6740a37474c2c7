package io.streamcl.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM's own account of its memory: {@code VM.native_memory summary} (needs
 * {@code -XX:NativeMemoryTracking=summary}), committed bytes by category (Java Heap, Class, Thread, Code,
 * GC, Internal, Other, ...). It covers what the JVM allocates, not what native libraries allocate on their
 * own (libtorch's tensors, RocksDB's memtables and block cache): the resident set minus its total is an
 * upper bound of those.
 */
public record NativeMemorySummary(long committedBytes, Map<String, Long> committedByCategory) {
    private static final Pattern TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    /** The summary's categories in its order; a summary that is not there (no tracking) gives -1 and none. */
    static NativeMemorySummary parse(String text) {
        long total = -1;
        Map<String, Long> categories = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher t = TOTAL.matcher(line.strip());
            if (t.find()) {
                total = Long.parseLong(t.group(2)) * 1024;
                continue;
            }
            Matcher c = CATEGORY.matcher(line.strip());
            if (c.find()) {
                categories.put(c.group(1), Long.parseLong(c.group(3)) * 1024);
            }
        }
        return new NativeMemorySummary(total, Collections.unmodifiableMap(categories));
    }

    /** Committed bytes of a category; 0 where the summary omitted it (under 1 KB). */
    public long committed(String category) {
        return committedByCategory.getOrDefault(category, 0L);
    }
}
