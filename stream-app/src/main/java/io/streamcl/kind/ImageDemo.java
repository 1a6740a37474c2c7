package io.streamcl.kind;

import io.streamcl.config.Settings;
import io.streamcl.eval.EncoderComparison;
import io.streamcl.eval.EvalReport;
import io.streamcl.eval.LinearProbe;
import io.streamcl.ingest.IdxFile;
import io.streamcl.ingest.IdxImages;
import io.streamcl.ingest.ImagePixels;
import io.streamcl.ingest.ImageTensor;
import io.streamcl.ingest.RawItems;
import io.streamcl.learn.Embedder;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Labelled IDX images: the first items are streamed, held-out ones are classified by kNN against
 * them, clean and augmented, with the learned encoder, the untrained one and raw pixels.
 */
public final class ImageDemo implements DemoScenario {
    /** Labelled images read from IDX files. */
    private record Split(List<ImageTensor> images, int[] labels, List<String> ids) {}

    private final Split train;
    private final Split test;
    private final String source;
    private final long seed;
    private final boolean fullEvaluation;

    /** The demo of the image kind: 8,000 images unless told otherwise. */
    static DemoScenario create(DemoScenario.Options o) throws IOException {
        if ((o.testImages() == null) != (o.testLabels() == null)) {
            throw new IllegalArgumentException("--test-images and --test-labels go together");
        }
        return new ImageDemo(o.trainImages(), o.trainLabels(), o.testImages(), o.testLabels(), o.itemsOr(8000), o.seed());
    }

    /** @param testImages held-out images, or null to hold out the last 20% of the training file */
    public ImageDemo(Path trainImages, Path trainLabels, Path testImages, Path testLabels, int items, long seed)
            throws IOException {
        this(trainImages, trainLabels, testImages, testLabels, items, seed, false);
    }

    /** @param fullEvaluation also a linear probe and alignment (slower: the probe is trained) */
    public ImageDemo(Path trainImages, Path trainLabels, Path testImages, Path testLabels, int items, long seed,
            boolean fullEvaluation) throws IOException {
        this.seed = seed;
        this.fullEvaluation = fullEvaluation;
        if (testImages != null) {
            train = read(trainImages, trainLabels, "train-", items);
            test = read(testImages, testLabels, "test-", Integer.MAX_VALUE);
            source = trainImages + ", held out: " + testImages;
        } else {
            Split whole = read(trainImages, trainLabels, "item-", Integer.MAX_VALUE);
            int holdout = whole.images().size() / 5;
            int trainCount = Math.min(items, whole.images().size() - holdout);
            train = slice(whole, 0, trainCount);
            test = slice(whole, whole.images().size() - holdout, whole.images().size());
            source = trainImages + ", held out: its last 20%";
        }
        if (train.images().size() < 2 || test.images().isEmpty()) {
            throw new IOException("need at least 2 training and 1 held-out images");
        }
    }

    public List<ImageTensor> trainImages() {
        return train.images();
    }

    public List<String> trainIds() {
        return train.ids();
    }

    public int[] trainLabels() {
        return train.labels();
    }

    public List<ImageTensor> testImages() {
        return test.images();
    }

    public List<String> testIds() {
        return test.ids();
    }

    public int[] testLabels() {
        return test.labels();
    }

    /** Where the images come from, for reports. */
    public String source() {
        return source;
    }

    @Override
    public String kind() {
        return ImageKind.NAME;
    }

    @Override
    public String describe() {
        return String.format("%d training images streamed, %d held out (%s)", train.images().size(),
                test.images().size(), source);
    }

    @Override
    public Map<String, String> settingDefaults() {
        // a finite sample in one pass: replay makes it worth several epochs (Purushwalkam et al. 2022)
        return Map.of(Settings.REPLAY_UPDATES.name(), "30");
    }

    @Override
    public List<RawItem> trainingItems() {
        List<RawItem> items = new ArrayList<>(train.images().size());
        for (int i = 0; i < train.images().size(); i++) {
            ImageTensor t = train.images().get(i);
            byte[] bytes = new byte[t.data().length];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) Math.round(t.data()[j] * 255f);
            }
            // the class rides along for the dashboard's projection; nothing learns from it
            items.add(RawItems.labelledImage(train.ids().get(i), System.currentTimeMillis(),
                    RawItems.rawU8(t.width(), t.height(), 1, bytes), Integer.toString(train.labels()[i])));
        }
        return items;
    }

    @Override
    public String feedKind() {
        return "image";
    }

    @Override
    public int feedIds() {
        return train.images().size();
    }

    @Override
    public EvalReport evaluate(Settings settings, ModelSnapshot untrained, ModelSnapshot trained,
            Map<String, float[]> feed, Function<ModelSnapshot, Embedder> encoders) {
        ImageKind kind = new ImageKind(settings.forKind(ImageKind.NAME)); // its augmentation as its trainer has it
        EncoderComparison<ImageTensor> cmp = new EncoderComparison<>(kind, train.images(), train.labels(),
                test.images(), test.labels(), test.ids(), seed + 1, 200);
        List<String> columns = fullEvaluation
                ? List.of(EncoderComparison.KNN_CLEAN, EncoderComparison.KNN_AUGMENTED, EncoderComparison.PROBE_CLEAN,
                        EncoderComparison.PROBE_AUGMENTED, EncoderComparison.ALIGNMENT, EncoderComparison.UNIFORMITY)
                : List.of(EncoderComparison.KNN_CLEAN, EncoderComparison.KNN_AUGMENTED, EncoderComparison.UNIFORMITY);
        if (fullEvaluation) {
            cmp.withLinearProbe(new LinearProbe());
        }
        EvalReport report = new EvalReport(String.format("kNN accuracy (k=200, cosine, weighted)%s on %d held-out"
                + " images; memory: %d streamed images", fullEvaluation ? " and linear probe" : "",
                test.images().size(), train.images().size()), columns);
        report.addRow("embeddings topic (the feed, v" + trained.getVersion() + ")",
                withFeed(encoders.apply(trained), cmp, train.ids().stream().map(feed::get).toArray(float[][]::new)));
        report.addRow("learned (" + trained.getName() + " v" + trained.getVersion() + ", step " + trained.getStep()
                + ")", withEncoder(encoders.apply(trained), cmp));
        report.addRow("untrained encoder (v" + untrained.getVersion() + ")", withEncoder(encoders.apply(untrained), cmp));
        report.addRow("raw pixels", cmp.rawInputs());
        return report;
    }

    private static Map<String, Double> withEncoder(Embedder encoder, EncoderComparison<ImageTensor> cmp) {
        try (Embedder e = encoder) {
            return cmp.encoder(e);
        }
    }

    private static Map<String, Double> withFeed(Embedder encoder, EncoderComparison<ImageTensor> cmp, float[][] memory) {
        try (Embedder e = encoder) {
            return cmp.feed(memory, e);
        }
    }

    private static Split read(Path imagesFile, Path labelsFile, String idPrefix, int max) throws IOException {
        IdxImages images = IdxFile.readImages(imagesFile);
        int[] labels = IdxFile.readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new IOException(imagesFile + " has " + images.count() + " images but " + labelsFile + " has "
                    + labels.length + " labels");
        }
        int n = Math.min(max, images.count());
        List<ImageTensor> tensors = new ArrayList<>(n);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tensors.add(ImagePixels.fromRawU8(images.cols(), images.rows(), 1, images.image(i)));
            ids.add(idPrefix + i);
        }
        return new Split(tensors, Arrays.copyOf(labels, n), ids);
    }

    private static Split slice(Split s, int from, int to) {
        return new Split(s.images().subList(from, to), Arrays.copyOfRange(s.labels(), from, to),
                s.ids().subList(from, to));
    }
}
