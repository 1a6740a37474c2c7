package io.streamcl.kind;

import io.streamcl.augment.Augmenter;
import io.streamcl.augment.ImageAugmentation;
import io.streamcl.augment.ImageAugmenter;
import io.streamcl.ingest.ImageTensor;
import io.streamcl.config.Settings;
import io.streamcl.ingest.ImageDecoder;
import io.streamcl.ingest.ImageLimits;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.learn.EncoderSpec;
import io.streamcl.learn.ImageCnnSpec;
import io.streamcl.schema.ImageItem;
import io.streamcl.schema.RawItem;
import java.util.Map;

/** Images of any size and 1, 3 or 4 channels, resized to {@code image.size} for a small CNN. */
public final class ImageKind implements StandaloneKind<ImageTensor> {
    public static final String NAME = "image";

    private final ImageLimits limits;
    private final ImageAugmenter augmenter;
    private final ImageCnnSpec spec;

    public ImageKind(Settings s) {
        this.limits = new ImageLimits(s.get(Settings.IMAGE_MAX_SIDE), s.get(Settings.IMAGE_MAX_BYTES));
        this.augmenter = new ImageAugmenter(ImageAugmentation.builder()
                .outputSize(s.get(Settings.IMAGE_SIZE))
                .outputChannels(s.get(Settings.IMAGE_CHANNELS))
                .cropScaleMin(s.get(Settings.IMAGE_CROP_MIN))
                .cropScaleMax(s.get(Settings.IMAGE_CROP_MAX))
                .flipProbability(s.get(Settings.IMAGE_FLIP))
                .brightness(s.get(Settings.IMAGE_BRIGHTNESS))
                .contrast(s.get(Settings.IMAGE_CONTRAST))
                .noiseStd(s.get(Settings.IMAGE_NOISE))
                .cutoutProbability(s.get(Settings.IMAGE_CUTOUT))
                .build());
        this.spec = new ImageCnnSpec(s.get(Settings.IMAGE_CHANNELS), s.get(Settings.IMAGE_SIZE),
                s.get(Settings.IMAGE_CONV_CHANNELS), s.get(Settings.EMBEDDING_DIM), s.get(Settings.PROJECTION_DIM));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean handles(Object payload) {
        return payload instanceof ImageItem;
    }

    @Override
    public ImageTensor decode(RawItem item) throws InvalidItemException {
        return ImageDecoder.decode((ImageItem) item.getPayload(), limits);
    }

    @Override
    public float[] embeddingInput(ImageTensor item) {
        return augmenter.clean(item);
    }

    @Override
    public Augmenter<ImageTensor, float[]> augmenter() {
        return augmenter;
    }

    @Override
    public EncoderSpec encoderSpec() {
        return spec;
    }

    @Override
    public EncoderSpec encoderSpec(Map<String, String> snapshotConfig) {
        return ImageCnnSpec.fromConfig(snapshotConfig);
    }
}
