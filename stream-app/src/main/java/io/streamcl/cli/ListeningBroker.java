package io.streamcl.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.apache.kafka.common.utils.Utils;

/**
 * Waits until a bootstrap address accepts a TCP connection. A Kafka client pointed at a broker that does not
 * listen yet logs a warning at every reconnect, about one a second, which would bury the one line that says
 * what is awaited; a plain socket says nothing.
 */
final class ListeningBroker {
    private static final int CONNECT_TIMEOUT_MS = 500;

    private ListeningBroker() {}

    /**
     * @param onMiss run after each round in which no address accepted
     * @return true once an address accepts, false when none did by {@code deadlineNanos} (a {@link System#nanoTime})
     */
    static boolean await(String bootstrapServers, long deadlineNanos, Duration pollEvery, Runnable onMiss)
            throws InterruptedException {
        while (!anyListening(bootstrapServers)) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            onMiss.run();
            Thread.sleep(pollEvery.toMillis());
        }
        return true;
    }

    private static boolean anyListening(String bootstrapServers) {
        for (String address : bootstrapServers.split(",")) {
            String host = Utils.getHost(address.trim());
            Integer port = Utils.getPort(address.trim());
            if (host == null || port == null) {
                return true; // not HOST:PORT: let the Kafka client say what is wrong with it
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                return true;
            } catch (IOException notYet) { // refused, timed out, or a name that does not resolve yet
            }
        }
        return false;
    }
}
