package io.streamcl.eval;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of an export file: the latest embedding of an item and the model that made it.
 *
 * <p>The vector is held, not copied. The CSV format carries no kind, model name or step: read back,
 * those are {@code ""}, {@code ""} and {@link #UNKNOWN_STEP}.
 *
 * @param id the item id (the embeddings topic's key)
 * @param kind image, sentence, item or user
 * @param modelName e.g. image-moco
 * @param modelVersion snapshot version; 0 is the untrained encoder
 * @param modelStep optimizer steps taken when the snapshot was made
 * @param vector [dim], dim >= 1
 */
public record ExportedEmbedding(String id, String kind, String modelName, long modelVersion, long modelStep,
                                float[] vector) {

    public static final long UNKNOWN_STEP = -1;

    public ExportedEmbedding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(vector, "vector");
        if (vector.length == 0) {
            throw new IllegalArgumentException("empty vector for id " + id);
        }
    }

    /** The vector length. */
    public int dim() {
        return vector.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExportedEmbedding e
                && id.equals(e.id) && kind.equals(e.kind) && modelName.equals(e.modelName)
                && modelVersion == e.modelVersion && modelStep == e.modelStep
                && Arrays.equals(vector, e.vector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, kind, modelName, modelVersion, modelStep) * 31 + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "ExportedEmbedding[id=" + id + ", kind=" + kind + ", modelName=" + modelName
                + ", modelVersion=" + modelVersion + ", modelStep=" + modelStep + ", dim=" + vector.length + "]";
    }
}
