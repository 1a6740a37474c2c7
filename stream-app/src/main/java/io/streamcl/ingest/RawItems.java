package io.streamcl.ingest;

import io.streamcl.schema.ImageEncoding;
import io.streamcl.schema.ImageItem;
import io.streamcl.schema.RawItem;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;

/** Small factories for the wire records. */
public final class RawItems {

    /**
     * The attribute that holds an item's class when its producer knows one (the demos set it): the dashboard
     * colours its projection of the embeddings by it. The app learns nothing from it.
     */
    public static final String LABEL_ATTRIBUTE = "label";

    private RawItems() {}

    /** A raw item carrying an image, with no attributes. */
    public static RawItem image(String id, long eventTimeMillis, ImageItem image) {
        return RawItem.newBuilder()
                .setId(id)
                .setEventTime(Instant.ofEpochMilli(eventTimeMillis))
                .setPayload(image)
                .setAttributes(new HashMap<>())
                .build();
    }

    /** A raw item carrying an image and its class as the {@value #LABEL_ATTRIBUTE} attribute. */
    public static RawItem labelledImage(String id, long eventTimeMillis, ImageItem image, String label) {
        RawItem item = image(id, eventTimeMillis, image);
        item.getAttributes().put(LABEL_ATTRIBUTE, label);
        return item;
    }

    /**
     * An uncompressed image: width*height*channels unsigned bytes, row-major, channels interleaved
     * (HWC). The array is wrapped, not copied.
     */
    public static ImageItem rawU8(int width, int height, int channels, byte[] hwc) {
        return ImageItem.newBuilder()
                .setWidth(width)
                .setHeight(height)
                .setChannels(channels)
                .setEncoding(ImageEncoding.RAW_U8)
                .setBytes(ByteBuffer.wrap(hwc))
                .build();
    }
}
