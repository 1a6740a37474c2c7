package io.streamcl.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a command until the process is told to stop (Ctrl-C, SIGTERM), and holds the stop until the command has
 * closed what it opened: the JVM halts as soon as its shutdown hooks return.
 */
final class UntilInterrupted implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);

    /** Returns once a stop is asked for. */
    void await() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown"));
        stop.await();
    }

    /** The command has closed everything: a stop under way may end the process now. */
    @Override
    public void close() {
        done.countDown();
    }
}
