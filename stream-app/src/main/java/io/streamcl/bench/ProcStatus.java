package io.streamcl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a soak reads of another process from {@code /proc/<pid>/status} (Linux): its resident set and its
 * thread count. The thread count is the kernel's, so it includes libtorch's OpenMP workers and RocksDB's
 * background threads, which no Java API lists.
 */
public record ProcStatus(long residentBytes, int threads) {

    public static ProcStatus of(long pid) throws IOException {
        return parse(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    }

    /** @param status the text of a {@code /proc/<pid>/status} file; -1 for a field it lacks */
    static ProcStatus parse(String status) {
        long resident = -1;
        int threads = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                resident = digits(line) * 1024; // the kernel writes kB
            } else if (line.startsWith("Threads:")) {
                threads = (int) digits(line);
            }
        }
        return new ProcStatus(resident, threads);
    }

    private static long digits(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
