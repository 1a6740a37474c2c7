package io.streamcl.learn;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps glibc's malloc from handing libtorch's step-sized buffers back to the kernel on every step.
 *
 * <p>A training step allocates and frees tens of megabytes of activations and gradients (a batch of 256
 * pairs through the image CNN: 25 MB for one conv layer's output). By default glibc serves such blocks with
 * {@code mmap} and returns them with {@code munmap}, and trims the top of its heap when it frees, so every
 * step page-faults its memory in afresh, and the backward pass is several times slower until glibc's
 * adaptive threshold has caught up: minutes into a process, or never on a busy thread. Fixing the
 * thresholds at start ({@code mallopt}) gives the fast path from the first step: blocks up to 32 MiB come
 * from the heap, and up to 256 MiB of freed heap is kept. How much that buys, BENCHMARKS.md says
 * (Speed-ups; {@code bench --sections speedups} measures it).
 *
 * <p>Only glibc has {@code mallopt}; elsewhere this does nothing. {@code -Dstreamcl.malloc.tune=false}
 * turns it off (the benchmark compares both).
 */
public final class NativeAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(NativeAllocator.class);
    private static final AtomicBoolean DONE = new AtomicBoolean();

    // mallopt parameters, from glibc's malloc.h
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    private interface LibC extends Library {
        int mallopt(int param, int value);
    }

    private NativeAllocator() {}

    /** Sets the thresholds once per process; later calls do nothing. */
    public static void tune() {
        if (!enabled() || !DONE.compareAndSet(false, true)) {
            return;
        }
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return;
        }
        try {
            LibC c = Native.load("c", LibC.class);
            // the largest value glibc accepts for M_MMAP_THRESHOLD on 64-bit (HEAP_MAX_SIZE / 2)
            boolean ok = c.mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && c.mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1
                    && c.mallopt(M_TOP_PAD, 64 << 20) == 1;
            LOG.debug("malloc thresholds {}", ok ? "set" : "refused (not glibc?)");
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.debug("no mallopt here ({}); malloc keeps its defaults", e.toString());
        }
    }

    /** Whether {@link #tune()} is on for this process. */
    public static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty("streamcl.malloc.tune", "true"));
    }
}
