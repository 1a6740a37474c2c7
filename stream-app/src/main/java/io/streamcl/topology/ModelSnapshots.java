package io.streamcl.topology;

import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.serde.AvroCodec;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Avro ModelSnapshot helpers. */
public final class ModelSnapshots {
    private ModelSnapshots() {}

    /** The models-topic key of the version the promotion gate serves. */
    public static String servedKey(String kind) {
        return kind + "@served";
    }

    /** The models-topic key of a version pinned by hand; a tombstone there hands serving back to the gate. */
    public static String pinnedKey(String kind) {
        return kind + "@pinned";
    }

    /** Whether a models-topic key is a trainer's candidate (the key is the bare kind). */
    public static boolean isCandidateKey(String key) {
        return key.indexOf('@') < 0;
    }

    /**
     * A copy of a snapshot marked as promoted: what goes under {@link #servedKey} or {@link #pinnedKey}. It shares
     * the snapshot's parameters rather than copy them.
     */
    public static ModelSnapshot promoted(ModelSnapshot s, String mode, String reason, java.time.Instant time) {
        ModelSnapshot p = RecordCopies.sharingValues(s);
        p.setPromotion(io.streamcl.schema.Promotion.newBuilder().setMode(mode).setTime(time).setReason(reason)
                .build());
        return p;
    }

    public static ModelSnapshot of(String kind, String name, long version, long step, Map<String, String> config,
            byte[] parameters, Map<String, Double> metrics) {
        return ModelSnapshot.newBuilder()
                .setKind(kind)
                .setName(name)
                .setVersion(version)
                .setStep(step)
                .setEncoderConfig(new LinkedHashMap<>(config))
                .setParameters(ByteBuffer.wrap(parameters))
                .setCreatedTime(java.time.Instant.now())
                .setMetrics(new LinkedHashMap<>(metrics))
                .build();
    }

    public static byte[] parameters(ModelSnapshot s) {
        return AvroCodec.bytes(s.getParameters());
    }
}
