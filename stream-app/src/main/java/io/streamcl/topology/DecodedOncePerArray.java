package io.streamcl.topology;

import java.lang.ref.SoftReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Serde of an in-memory store whose values are large and read often: the models store, where each embedder
 * asks every 200 ms which version is served. Such a store hands out the same array until the value changes, so
 * each array is decoded once and its record handed to every later read, instead of a fresh copy of a model's
 * parameters (34 MB for a 131,072-row table) at each read.
 *
 * <p>A decoded record is held softly: a heap that runs short takes it back, and the next read decodes again.
 *
 * <p>Each read gets a record of its own that shares the decoded field values: its {@code ByteBuffer}s are
 * duplicates, so that a reader on one thread that moves a buffer's position (as Avro's deep copy does) cannot
 * move another's. An entry lives as long as its array is in the store: the keys are weak, and a record holds no
 * reference to the array it came from.
 */
final class DecodedOncePerArray<T extends SpecificRecord> implements Serde<T> {
    private final Serde<T> inner;
    /** Arrays compare by identity, which is what a store's unchanged value keeps. */
    private final Map<byte[], SoftReference<T>> decoded = Collections.synchronizedMap(new WeakHashMap<>());

    DecodedOncePerArray(Serde<T> inner) {
        this.inner = inner;
    }

    @Override
    public Serializer<T> serializer() {
        return inner.serializer();
    }

    @Override
    public Deserializer<T> deserializer() {
        Deserializer<T> d = inner.deserializer();
        return (topic, bytes) -> bytes == null ? null
                : RecordCopies.sharingValues(decodedOnce(bytes, b -> d.deserialize(topic, b)));
    }

    private T decodedOnce(byte[] bytes, java.util.function.Function<byte[], T> decode) {
        synchronized (decoded) {
            SoftReference<T> kept = decoded.get(bytes);
            T record = kept == null ? null : kept.get();
            if (record == null) {
                record = decode.apply(bytes);
                decoded.put(bytes, new SoftReference<>(record));
            }
            return record;
        }
    }
}
