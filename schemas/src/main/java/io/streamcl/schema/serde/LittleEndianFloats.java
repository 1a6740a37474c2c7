package io.streamcl.schema.serde;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Float arrays as the schemas' {@code bytes} fields hold them: IEEE 754 float32, little-endian. */
public final class LittleEndianFloats {
    private LittleEndianFloats() {}

    public static ByteBuffer toBytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b;
    }

    /** @throws IllegalArgumentException if the bytes are not a whole number of floats */
    public static float[] fromBytes(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() % Float.BYTES != 0) {
            throw new IllegalArgumentException(b.remaining() + " bytes are not a whole number of float32 values");
        }
        float[] out = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(out);
        return out;
    }
}
