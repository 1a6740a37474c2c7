package io.streamcl.bench;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Arrays;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The learner process seen from outside, over JMX: the attach API starts its local management agent (no
 * port is opened), so the learner needs no flag for it. One connection gives the live heap, the JVM's
 * native memory summary and Kafka Streams' RocksDB metrics.
 */
public final class LearnerJmx implements AutoCloseable {
    private static final String[] ROCKSDB = {RocksDbMemory.MEMTABLES, RocksDbMemory.BLOCK_CACHE,
            RocksDbMemory.TABLE_READERS};

    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private LearnerJmx(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    public static LearnerJmx attach(long pid) throws IOException {
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to the learner (pid " + pid + "): " + e.getMessage(), e);
        }
        return new LearnerJmx(JMXConnectorFactory.connect(new JMXServiceURL(address)));
    }

    /**
     * A full collection, then what the heap's pools held just after it. Not the heap's use when read: the
     * learner keeps allocating meanwhile.
     */
    public long liveHeapBytesAfterFullGc() throws IOException {
        ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class).gc();
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getPlatformMXBeans(server, MemoryPoolMXBean.class)) {
            MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            live += afterGc == null ? 0 : afterGc.getUsed();
        }
        return live;
    }

    /** {@code jcmd <pid> VM.native_memory summary}, through the DiagnosticCommand MBean. */
    public NativeMemorySummary nativeMemory() throws IOException {
        try {
            Object text = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            return NativeMemorySummary.parse(String.valueOf(text));
        } catch (JMException e) {
            throw new IOException("VM.native_memory summary failed: " + e.getMessage(), e);
        }
    }

    /** Kafka Streams' RocksDB memory metrics, summed over every store of every task the learner holds. */
    public RocksDbMemory rocksDb() throws IOException {
        long[] sums = new long[ROCKSDB.length];
        int stores = 0;
        try {
            for (ObjectName store : server.queryNames(new ObjectName("kafka.streams:type=stream-state-metrics,*"), null)) {
                // asked only for what the store has: the learner's JmxReporter logs each attribute it lacks
                String[] has = Arrays.stream(server.getMBeanInfo(store).getAttributes()).map(MBeanAttributeInfo::getName)
                        .filter(Arrays.asList(ROCKSDB)::contains).toArray(String[]::new);
                for (Attribute a : server.getAttributes(store, has).asList()) {
                    if (a.getValue() instanceof Number n) {
                        sums[Arrays.asList(ROCKSDB).indexOf(a.getName())] += n.longValue();
                    }
                }
                stores += has.length > 0 ? 1 : 0;
            }
        } catch (JMException e) {
            throw new IOException("reading the RocksDB metrics failed: " + e.getMessage(), e);
        }
        return new RocksDbMemory(sums[0], sums[1], sums[2], stores);
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
