package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class IntraOpThreadsTest {
    private static final Path TASKS = Path.of("/proc/self/task");

    private record Seen(int threads, long osThreadsNamedLikeMe) {}

    /** Runs libtorch's matrix product and an element-wise op on a fresh thread; what that thread then holds. */
    private static Seen onFreshThread(String name, boolean limitToOne) {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                if (limitToOne) {
                    IntraOpThreads.setForThisThread(1);
                }
                NDArray x = m.randomNormal(new Shape(256, 256));
                x.matMul(x).add(1).maximum(0f).sum().getFloat();
                seen.complete(new Seen(IntraOpThreads.ofThisThread(), osThreadsNamed(name)));
            } catch (Throwable e) {
                seen.completeExceptionally(e);
            }
        }, name);
        t.start();
        return seen.join();
    }

    /** libgomp's workers are created by the thread that runs the operator and inherit its OS name. */
    private static long osThreadsNamed(String name) {
        try (Stream<Path> tasks = Files.list(TASKS)) {
            return tasks.filter(p -> read(p.resolve("comm")).strip().equals(name)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return ""; // the thread ended meanwhile
        }
    }

    @Test
    void aThreadSetToOneShouldRunItsOperatorsWithoutStartingWorkersWhileOthersKeepTheDefault() {
        assumeTrue(Files.isDirectory(TASKS), "needs /proc (Linux)");
        Supplier<Seen> unlimited = () -> onFreshThread("intraop-default", false);
        Seen before = unlimited.get();
        assumeTrue(before.threads() > 1, "one core: libtorch starts no workers anyway");
        assertThat(before.osThreadsNamedLikeMe()).as("the control: a default thread starts workers").isGreaterThan(1);

        Seen limited = onFreshThread("intraop-limited", true);

        assertThat(limited.threads()).isEqualTo(1);
        assertThat(limited.osThreadsNamedLikeMe()).isEqualTo(1);
        assertThat(unlimited.get().threads()).as("other threads are untouched").isEqualTo(before.threads());
    }

    @Test
    void shouldRejectLessThanOneThread() {
        assertThatThrownBy(() -> IntraOpThreads.setForThisThread(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
