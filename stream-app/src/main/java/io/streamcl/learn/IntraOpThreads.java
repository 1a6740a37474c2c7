package io.streamcl.learn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many threads libtorch's operators use on the calling thread (intra-op parallelism), set per thread.
 *
 * <p>Why: the CPU build of libtorch runs its operators on GNU OpenMP, and every thread that runs one starts
 * a team of workers of its own, sized to the machine. A stream thread embedding a few dozen rows at a time
 * gains little from a team, but its workers compete with the trainer's for the same cores; and once the
 * process holds more OpenMP workers than cores, libgomp stops spin-waiting between parallel regions (its
 * "throttled" spin, 100 turns), so the trainer's workers futex-sleep and wake on every region. So the
 * trainer keeps all cores, and a thread that only serves runs single-threaded and starts no team. What
 * that buys in idle cores and throughput, BENCHMARKS.md says (Speed-ups; {@code bench --sections speedups}
 * measures it). It also makes an embedding the same bits wherever it is computed.
 *
 * <p>PyTorch's own {@code set_num_threads} cannot do this: it sets a process-wide default and clears
 * oneDNN's kernel cache on every call. This sets only the calling thread's OpenMP count
 * ({@code omp_set_num_threads} in the libgomp libtorch loaded, found through {@code /proc/self/maps});
 * MKL follows it (IntraOpThreadsTest: a matrix product starts no worker). Where libgomp is not found
 * (not Linux, another OpenMP) it does nothing, and says so once. {@code -Dstreamcl.intraop.per-thread=false}
 * turns it off (the benchmark compares both).
 */
public final class IntraOpThreads {
    private static final Logger LOG = LoggerFactory.getLogger(IntraOpThreads.class);
    private static final Optional<Libraries> NATIVE = Libraries.find();

    private IntraOpThreads() {}

    /** Makes libtorch run the calling thread's operators on {@code threads} threads from now on. */
    public static void setForThisThread(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (enabled() && NATIVE.isPresent() && ofThisThread() != threads) {
            NATIVE.get().set(threads);
        }
    }

    /**
     * Runs {@code work} with the calling thread's operators on {@code threads} threads, then puts the
     * thread's count back as it was.
     */
    public static <T> T withThreads(int threads, Supplier<T> work) {
        int before = ofThisThread();
        setForThisThread(threads);
        try {
            return work.get();
        } finally {
            setForThisThread(before);
        }
    }

    /** Whether this class changes anything in this process (read on every call). */
    public static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty("streamcl.intraop.per-thread", "true"));
    }

    /**
     * The calling thread's count as libtorch sees it. Asking is also what makes ATen give a thread its
     * default count, the first time: after that, a count set here is not overwritten.
     */
    public static int ofThisThread() {
        return JniUtils.getNumThreads();
    }

    private record Libraries(Function ompSetNumThreads) {
        void set(int threads) {
            ompSetNumThreads.invokeVoid(new Object[] {threads});
        }

        static Optional<Libraries> find() {
            try {
                Engine.getEngine("PyTorch"); // loads libtorch, and its OpenMP, if nothing has yet
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                LOG.info("libtorch not loaded ({}); intra-op threads stay as libtorch sets them", e.toString());
                return Optional.empty();
            }
            Optional<String> gomp = mapped("libgomp");
            if (gomp.isEmpty()) {
                LOG.info("libtorch's OpenMP library (libgomp) not found; intra-op threads stay as libtorch sets them");
                return Optional.empty();
            }
            try {
                return Optional.of(new Libraries(NativeLibrary.getInstance(gomp.get()).getFunction("omp_set_num_threads")));
            } catch (UnsatisfiedLinkError e) {
                LOG.info("cannot set libtorch's intra-op threads per thread ({})", e.getMessage());
                return Optional.empty();
            }
        }

        private static Optional<String> mapped(String library) {
            Path maps = Path.of("/proc/self/maps");
            if (!Files.isReadable(maps)) {
                return Optional.empty();
            }
            try (Stream<String> lines = Files.lines(maps)) {
                return lines.map(l -> l.substring(l.indexOf('/') < 0 ? l.length() : l.indexOf('/')))
                        .filter(p -> Path.of(p.isEmpty() ? "." : p).getFileName().toString().startsWith(library))
                        .findFirst();
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
