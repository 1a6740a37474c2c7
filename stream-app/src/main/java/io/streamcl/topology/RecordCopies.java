package io.streamcl.topology;

import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Copies of Avro records that share their field values. Avro's own copies ({@code newBuilder(record)}) are deep:
 * a model snapshot copied to change its gate, metrics or promotion would copy its parameters too, 34 MB for a
 * 131,072-row table, and a trainer keeps several views of one version (published, candidate, promoted).
 */
final class RecordCopies {
    private RecordCopies() {}

    /**
     * A record of its own whose fields are the given record's values; its {@code ByteBuffer}s are duplicates, so
     * that whoever moves one's position (as Avro's deep copy does) cannot move another's.
     */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> T sharingValues(T record) {
        Schema schema = record.getSchema();
        T copy = (T) SpecificData.get().newRecord(null, schema);
        for (int i = 0; i < schema.getFields().size(); i++) {
            Object v = record.get(i);
            copy.put(i, v instanceof ByteBuffer b ? b.duplicate() : v);
        }
        return copy;
    }
}
