package io.streamcl.ingest;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hashes user events into the input of {@code EventEncoderSpec}: a sequence of {@code slots} item slots of
 * {@code featuresPerItem} ids each, as floats. Slot feature 0 is the hash of the item id; the others are
 * hashes of {@code key=value} item attributes (sorted by key, the first featuresPerItem - 1 kept). Ids fall
 * in [1, vocabSize); 0 is padding, so an unused slot is all zeros. No vocabulary: an unseen item gets a
 * bucket like any other, and collisions are shared by design.
 */
public final class EventFeatures {
    private final int vocabSize;
    private final int slots;
    private final int featuresPerItem;

    public EventFeatures(int vocabSize, int slots, int featuresPerItem) {
        if (vocabSize < 16 || vocabSize > (1 << 24) || slots < 1 || featuresPerItem < 1) {
            throw new IllegalArgumentException("need 16 <= vocabSize <= 2^24, slots >= 1, featuresPerItem >= 1, got "
                    + vocabSize + ", " + slots + ", " + featuresPerItem);
        }
        this.vocabSize = vocabSize;
        this.slots = slots;
        this.featuresPerItem = featuresPerItem;
    }

    public int inputSize() {
        return slots * featuresPerItem;
    }

    /** One item in slot 0, the other slots empty: the input that embeds an item. */
    public float[] item(String itemId, Map<String, String> attributes) {
        float[] out = new float[inputSize()];
        fill(out, 0, itemId, attributes);
        return out;
    }

    /**
     * A sequence of items (ids only), oldest first; only the newest {@code slots} are kept. An id that is
     * {@code SequenceAugmenter.MASK} hashes like any other, so the mask token learns its own vector.
     */
    public float[] sequence(List<String> itemIds) {
        float[] out = new float[inputSize()];
        int from = Math.max(0, itemIds.size() - slots);
        for (int i = from; i < itemIds.size(); i++) {
            fill(out, i - from, itemIds.get(i), null);
        }
        return out;
    }

    private void fill(float[] out, int slot, String itemId, Map<String, String> attributes) {
        int at = slot * featuresPerItem;
        out[at] = bucket("id:" + itemId);
        if (attributes != null && featuresPerItem > 1) {
            int f = 1;
            for (Map.Entry<String, String> a : new TreeMap<>(attributes).entrySet()) {
                if (f == featuresPerItem) {
                    break;
                }
                out[at + f++] = bucket("a:" + a.getKey() + "=" + a.getValue());
            }
        }
    }

    /** FNV-1a over the UTF-8 bytes, into [1, vocabSize). */
    int bucket(String feature) {
        return 1 + (int) Long.remainderUnsigned(Hashes.fnv1aUtf8(feature), vocabSize - 1);
    }
}
