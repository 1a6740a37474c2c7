package io.streamcl.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of one upstream port, which a test makes misbehave while traffic flows:
 * {@link #latency} delays every byte each way, {@link #resetAll} aborts every open connection with a TCP
 * reset, and {@link #blackHole} keeps accepting connections but forwards nothing until it is lifted (as a
 * network partition does: nothing is refused, nothing arrives, and what was held goes on once it heals).
 *
 * <p>Blocking sockets, four threads per connection: in each direction one reads and one writes, with a
 * bounded queue between them, so that latency delays each chunk from the moment it arrived instead of
 * adding up chunk after chunk, and a full queue pushes back on the sender as a slow link would.
 */
public final class FaultyProxy implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS_IN_FLIGHT = 32;

    private final ServerSocket server;
    private final int upstreamPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Gate gate = new Gate();
    private final AtomicLong accepted = new AtomicLong();
    private volatile long latencyNanos;
    private volatile boolean closed;

    private FaultyProxy(ServerSocket server, int upstreamPort) {
        this.server = server;
        this.upstreamPort = upstreamPort;
    }

    /** Listens on a free port of 127.0.0.1 and forwards to 127.0.0.1:{@code upstreamPort}. */
    public static FaultyProxy start(int upstreamPort) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultyProxy proxy = new FaultyProxy(server, upstreamPort);
        daemon("faulty-proxy-accept-" + server.getLocalPort(), proxy::acceptLoop).start();
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:<port>}: where clients connect. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Connections accepted so far (clients reconnect after a reset: this shows they did). */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** From now on every chunk is forwarded this long after it arrived; zero for none. */
    public void latency(Duration delay) {
        latencyNanos = delay.toNanos();
    }

    /** Aborts every open connection: both of its ends get a TCP reset. New connections are accepted as before. */
    public void resetAll() {
        for (Link link : List.copyOf(links)) {
            link.abort();
        }
    }

    /** On: connections are accepted and held, nothing is forwarded either way. Off: forwarding resumes. */
    public void blackHole(boolean on) {
        gate.set(!on);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        gate.set(true); // release held threads, which then find their sockets closed
        resetAll();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            Link link = new Link(client);
            links.add(link);
            daemon("faulty-proxy-connect-" + client.getPort(), link::connectAndForward).start();
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    /** Whether bytes may pass; threads wait on it while the black hole is on. */
    private static final class Gate {
        private boolean open = true;

        synchronized void set(boolean isOpen) {
            open = isOpen;
            notifyAll();
        }

        synchronized void awaitOpen() throws InterruptedException {
            while (!open) {
                wait();
            }
        }
    }

    /** A chunk read from one side, due on the other at {@code dueNanos}; {@code bytes} null: the sender closed. */
    private record Chunk(byte[] bytes, long dueNanos) {}

    /** One client connection and its upstream connection. */
    private final class Link {
        private final Socket client;
        private final Socket upstream = new Socket();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final AtomicBoolean done = new AtomicBoolean();

        Link(Socket client) {
            this.client = client;
        }

        void connectAndForward() {
            threads.add(Thread.currentThread());
            try {
                gate.awaitOpen(); // a held connection reaches the upstream only once the black hole is lifted
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 10_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                direction("up", client, upstream);
                direction("down", upstream, client);
            } catch (IOException | InterruptedException e) {
                close();
            }
        }

        private void direction(String name, Socket from, Socket to) throws IOException {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(CHUNKS_IN_FLIGHT);
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            String suffix = "-" + name + "-" + client.getPort();
            start(daemon("faulty-proxy-read" + suffix, () -> read(in, queue)));
            start(daemon("faulty-proxy-write" + suffix, () -> write(queue, out)));
        }

        private void start(Thread t) {
            threads.add(t);
            t.start();
        }

        private void read(InputStream in, BlockingQueue<Chunk> queue) {
            byte[] buffer = new byte[CHUNK];
            try {
                while (true) {
                    gate.awaitOpen(); // a black hole reads nothing more: the sender's TCP window fills up
                    int n = in.read(buffer);
                    if (n < 0) {
                        queue.put(new Chunk(null, System.nanoTime() + latencyNanos));
                        return;
                    }
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + latencyNanos));
                }
            } catch (IOException | InterruptedException e) {
                close();
            }
        }

        private void write(BlockingQueue<Chunk> queue, OutputStream out) {
            try {
                while (true) {
                    Chunk chunk = queue.take();
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    gate.awaitOpen(); // what was read before the black hole is held too
                    if (chunk.bytes() == null) {
                        close(); // Kafka clients never half-close: an end of stream ends the connection
                        return;
                    }
                    out.write(chunk.bytes());
                }
            } catch (IOException | InterruptedException e) {
                close();
            }
        }

        /** Both sockets get a reset rather than an orderly close. */
        void abort() {
            try {
                client.setSoLinger(true, 0);
                if (!upstream.isClosed()) {
                    upstream.setSoLinger(true, 0);
                }
            } catch (SocketException alreadyClosed) {
                // closing below is all that is left to do
            }
            close();
        }

        void close() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
            Thread self = Thread.currentThread();
            threads.stream().filter(t -> t != self).forEach(Thread::interrupt);
        }

        private void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
