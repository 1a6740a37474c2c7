package io.streamcl.topology;

import io.streamcl.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

/** Dead letters as every stage writes them: the record as it came, where from, and why. */
final class DeadLetters {
    /**
     * The most of a bad record's value a dead letter keeps. The dead-letter topic accepts 64 MiB; a value
     * near that, plus the letter around it, would be refused by the broker, which under exactly-once aborts the
     * whole transaction and replays it: the one record that must never be refused is the dead letter.
     */
    static final int MAX_VALUE_BYTES = 16 << 20;

    private DeadLetters() {}

    static DeadLetter of(byte[] key, byte[] value, String topic, int partition, long offset, String stage,
            String reason) {
        String why = reason == null ? "unknown" : reason;
        byte[] kept = value;
        if (value != null && value.length > MAX_VALUE_BYTES) {
            kept = Arrays.copyOf(value, MAX_VALUE_BYTES);
            why += " (value cut to its first " + MAX_VALUE_BYTES + " of " + value.length + " bytes)";
        }
        return DeadLetter.newBuilder()
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(kept == null ? null : ByteBuffer.wrap(kept))
                .setSourceTopic(topic == null ? "?" : topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setStage(stage)
                .setReason(why)
                .setTime(Instant.now())
                .build();
    }
}
