package io.streamcl.bench;

import java.io.IOException;
import java.util.List;

/**
 * Runs {@code bench} in a fresh JVM of this same jar, with this bench's settings. What is compared there is
 * a process-wide switch read from a system property, so each side gets a process of its own: flipping it
 * inside one process would leave the other side's state behind (and change it for every thread at once).
 */
@FunctionalInterface
public interface FreshBench {

    /**
     * @param jvmOptions before the class path, e.g. {@code -Dstreamcl.malloc.tune=false}
     * @param benchArgs after {@code bench}
     * @return what it printed, stdout and stderr together, once it has exited with 0
     * @throws IllegalStateException if it exited otherwise
     */
    List<String> run(List<String> jvmOptions, List<String> benchArgs) throws IOException, InterruptedException;
}
