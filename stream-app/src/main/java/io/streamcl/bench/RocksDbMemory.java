package io.streamcl.bench;

/**
 * RocksDB's native memory in the learner, summed over its state stores, as Kafka Streams reports it
 * (stream-state-metrics, recorded at INFO): memtables, block cache and the index and filter blocks of the
 * SST files it has open (table readers), which by Kafka Streams' default sit outside the block cache and
 * grow with the data on disk.
 */
public record RocksDbMemory(long memtableBytes, long blockCacheBytes, long tableReaderBytes, int stores) {
    static final String MEMTABLES = "size-all-mem-tables";
    static final String BLOCK_CACHE = "block-cache-usage";
    static final String TABLE_READERS = "estimate-table-readers-mem";

    public long totalBytes() {
        return memtableBytes + blockCacheBytes + tableReaderBytes;
    }
}
