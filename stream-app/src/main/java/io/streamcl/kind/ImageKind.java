package io.streamcl.kind;

import static io.streamcl.config.Setting.choiceSetting;
import static io.streamcl.config.Setting.floatSetting;
import static io.streamcl.config.Setting.fractionSetting;
import static io.streamcl.config.Setting.intListSetting;
import static io.streamcl.config.Setting.intSetting;

import io.streamcl.augment.Augmenter;
import io.streamcl.augment.ImageAugmentation;
import io.streamcl.augment.ImageAugmenter;
import io.streamcl.config.Setting;
import io.streamcl.config.SettingGroup;
import io.streamcl.ingest.ImageTensor;
import io.streamcl.config.Settings;
import io.streamcl.ingest.ImageDecoder;
import io.streamcl.ingest.ImageLimits;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.learn.EncoderSpec;
import io.streamcl.learn.ImageCnnSpec;
import io.streamcl.schema.ImageItem;
import io.streamcl.schema.RawItem;
import java.util.List;
import java.util.Map;

/** Images of any size and 1, 3 or 4 channels, resized to {@code image.size} for a small CNN. */
public final class ImageKind implements StandaloneKind<ImageTensor> {
    public static final String NAME = "image";

    public static final Setting<Integer> IMAGE_SIZE = intSetting("image.size", 28, 4, 1024,
            "side of the square input the image encoder sees; every image is resized to it");
    public static final Setting<Integer> IMAGE_CHANNELS = intSetting("image.channels", 1, 1, 3,
            "1 = grey (colour images are converted), 3 = RGB (grey images are replicated)");
    public static final Setting<int[]> IMAGE_CONV_CHANNELS = intListSetting("image.conv-channels", "16,32",
            "channels of each conv layer of the CNN backbone (each followed by ReLU and 2x2 max-pool)");
    public static final Setting<String> IMAGE_NORM = choiceSetting("image.norm", ImageCnnSpec.NO_NORM,
            List.of(ImageCnnSpec.NO_NORM, ImageCnnSpec.BATCH_NORM),
            "normalisation after each conv layer: none, or batch (batch statistics in training, running ones when embedding)");
    public static final Setting<String> IMAGE_EMBEDDING = choiceSetting("image.embedding",
            ImageCnnSpec.WHITENED_EMBEDDING, List.of(ImageCnnSpec.UNIT_EMBEDDING, ImageCnnSpec.STANDARDIZED_EMBEDDING,
                    ImageCnnSpec.WHITENED_EMBEDDING),
            "the published embedding: unit, the encoder's output at length 1; standardized, each of its dimensions first"
                    + " centred and scaled by running statistics of the training batches, which each model version"
                    + " carries; whitened, centred and decorrelated by them");
    public static final Setting<Float> IMAGE_CROP_MIN = floatSetting("image.crop.scale.min",
            (float) ImageAugmentation.DEFAULT_CROP_SCALE_MIN, 0f, 1f,
            "smallest random-resized-crop area, as a fraction of the image");
    public static final Setting<Float> IMAGE_CROP_MAX = floatSetting("image.crop.scale.max",
            (float) ImageAugmentation.DEFAULT_CROP_SCALE_MAX, 0f, 1f,
            "largest random-resized-crop area");
    public static final Setting<Float> IMAGE_FLIP = fractionSetting("image.flip.probability",
            (float) ImageAugmentation.DEFAULT_FLIP_PROBABILITY,
            "probability of a horizontal flip");
    public static final Setting<Float> IMAGE_BRIGHTNESS = fractionSetting("image.brightness",
            (float) ImageAugmentation.DEFAULT_BRIGHTNESS,
            "brightness jitter: factor in [1-b, 1+b]");
    public static final Setting<Float> IMAGE_CONTRAST = fractionSetting("image.contrast",
            (float) ImageAugmentation.DEFAULT_CONTRAST,
            "contrast jitter: factor in [1-c, 1+c]");
    public static final Setting<Float> IMAGE_NOISE = fractionSetting("image.noise.std",
            (float) ImageAugmentation.DEFAULT_NOISE_STD,
            "std of gaussian pixel noise (pixels in [0, 1])");
    public static final Setting<Float> IMAGE_CUTOUT = fractionSetting("image.cutout.probability",
            (float) ImageAugmentation.DEFAULT_CUTOUT_PROBABILITY,
            "probability of cutting out a square");
    public static final Setting<Integer> IMAGE_MAX_SIDE = intSetting("image.max.side", 4096, 1, 65_536,
            "larger images go to the dead-letter topic");
    public static final Setting<Integer> IMAGE_MAX_BYTES = intSetting("image.max.bytes", 16 << 20, 1, Integer.MAX_VALUE,
            "larger payloads go to the dead-letter topic");

    /** How it is registered: its settings, how they configure it, where its items are read from, its demo. */
    public static final KindDefinition DEFINITION = KindDefinition.builder(NAME)
            .settings(SettingGroup.of(IMAGE_SIZE, IMAGE_CHANNELS, IMAGE_CONV_CHANNELS, IMAGE_NORM, IMAGE_EMBEDDING, IMAGE_CROP_MIN, IMAGE_CROP_MAX, IMAGE_FLIP,
                    IMAGE_BRIGHTNESS, IMAGE_CONTRAST, IMAGE_NOISE, IMAGE_CUTOUT, IMAGE_MAX_SIDE, IMAGE_MAX_BYTES)
                .withRule(s -> s.get(IMAGE_CROP_MIN) > s.get(IMAGE_CROP_MAX)
                        ? "image.crop.scale.min must be <= image.crop.scale.max" : null)
                .withRule(s -> s.get(IMAGE_SIZE) >> s.get(IMAGE_CONV_CHANNELS).length < 1
                        ? "image.size " + s.get(IMAGE_SIZE) + " is too small for " + s.get(IMAGE_CONV_CHANNELS).length
                                + " conv layers (each halves it)" : null))
            // the shared 0.003 suits sentences; images learn a better linear probe at 0.001 (0.868 -> 0.877 on the
            // full Fashion-MNIST stream, kNN the same; BENCHMARKS.md, issue 14)
            .ownDefault(Settings.LEARNING_RATE, "0.001")
            .configure(ImageKind::new)
            .formats(ImageFormats.all())
            .demo(ImageDemo::create)
            .build();

    private final ImageLimits limits;
    private final ImageAugmenter augmenter;
    private final ImageCnnSpec spec;

    public ImageKind(Settings s) {
        this.limits = new ImageLimits(s.get(IMAGE_MAX_SIDE), s.get(IMAGE_MAX_BYTES));
        this.augmenter = new ImageAugmenter(ImageAugmentation.builder()
                .outputSize(s.get(IMAGE_SIZE))
                .outputChannels(s.get(IMAGE_CHANNELS))
                .cropScaleMin(s.get(IMAGE_CROP_MIN))
                .cropScaleMax(s.get(IMAGE_CROP_MAX))
                .flipProbability(s.get(IMAGE_FLIP))
                .brightness(s.get(IMAGE_BRIGHTNESS))
                .contrast(s.get(IMAGE_CONTRAST))
                .noiseStd(s.get(IMAGE_NOISE))
                .cutoutProbability(s.get(IMAGE_CUTOUT))
                .build());
        this.spec = new ImageCnnSpec(s.get(IMAGE_CHANNELS), s.get(IMAGE_SIZE),
                s.get(IMAGE_CONV_CHANNELS), s.get(Settings.EMBEDDING_DIM), s.get(Settings.PROJECTION_DIM), s.get(IMAGE_NORM),
                s.get(IMAGE_EMBEDDING));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<?> payloadType() {
        return ImageItem.class;
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
