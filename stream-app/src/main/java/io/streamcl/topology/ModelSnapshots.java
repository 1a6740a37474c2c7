package io.streamcl.topology;

import io.streamcl.schema.ModelSnapshot;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Avro ModelSnapshot helpers. */
public final class ModelSnapshots {
    private ModelSnapshots() {}

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
        ByteBuffer b = s.getParameters().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
