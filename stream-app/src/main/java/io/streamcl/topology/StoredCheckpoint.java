package io.streamcl.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trainer's whole state as its checkpoint store keeps it: the model version it was published with, the
 * encoder config it was made for (a changed encoder must not resume from it), and the trainer's bytes.
 */
record StoredCheckpoint(long version, Map<String, String> encoderConfig, byte[] trainer) {

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(trainer.length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(version);
            out.writeInt(encoderConfig.size());
            for (Map.Entry<String, String> e : encoderConfig.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(trainer.length);
            out.write(trainer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if the bytes are not a stored checkpoint */
    static StoredCheckpoint fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long version = in.readLong();
            int n = in.readInt();
            Map<String, String> config = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                config.put(in.readUTF(), in.readUTF());
            }
            byte[] trainer = new byte[in.readInt()];
            in.readFully(trainer);
            return new StoredCheckpoint(version, config, trainer);
        } catch (IOException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("not a stored checkpoint: " + e.getMessage(), e);
        }
    }
}
