package io.streamcl.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Runs timed libtorch work on a thread of its own, as the pipeline's trainer runs. libtorch's OpenMP
 * workers belong to the thread that started them and live as long as it does: work on the caller's
 * thread would leave a team behind for the pipeline runs that follow, and a second team makes the
 * trainer's workers sleep between parallel regions (see {@link io.streamcl.learn.IntraOpThreads}).
 */
final class OwnThread {
    private OwnThread() {}

    /** {@code work}'s result, computed on a new thread named {@code name}, which has ended by the return. */
    static <T> T call(String name, Supplier<T> work) {
        return call(Thread.currentThread().getThreadGroup(), name, work);
    }

    /** The same, the new thread in {@code group}: so are the threads it starts, and theirs. */
    static <T> T call(ThreadGroup group, String name, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(group, () -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, name);
        thread.start();
        try {
            return result.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            joinUninterruptibly(thread);
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
