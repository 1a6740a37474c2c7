package io.streamcl.bench;

import io.streamcl.config.Settings;
import io.streamcl.ingest.IdxFile;
import io.streamcl.ingest.IdxImages;
import io.streamcl.ingest.ImageTensor;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.ingest.RawItems;
import io.streamcl.kind.ImageKind;
import io.streamcl.learn.ComputeDevice;
import io.streamcl.schema.RawItem;
import io.streamcl.topology.LearnerTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the sections of one bench share: the settings (image kind unless a section says), the images, and how
 * large and how long a run may be.
 *
 * @param pool the images of {@code images}, as raw items; runs of {@link #items} take the first ones
 * @param items images per throughput run
 * @param repeats runs of each thing compared
 * @param timeout the longest one run may take
 */
public record BenchRun(Settings settings, Path images, List<RawItem> pool, int items, int repeats, long seed,
        Duration timeout) {

    public BenchRun {
        if (pool.size() < items) {
            throw new IllegalArgumentException(images + " has " + pool.size() + " images, fewer than " + items);
        }
        pool = List.copyOf(pool);
    }

    /** The images of one throughput run. */
    public List<RawItem> runItems() {
        return pool.subList(0, items);
    }

    /** The settings with every image of a run learned in full, as in the bare loop: the run may wait for the trainer. */
    public Settings learnedInFull() {
        return settings.with(Map.of(Settings.REPLAY_MAX_BACKLOG.name(), Integer.toString(items)));
    }

    /** One bare training loop over {@code raw}, decoded first, so that the timing is the training's alone. */
    public static BareLoop.Result bare(Settings settings, List<RawItem> raw) throws InvalidItemException {
        Settings s = settings.forKind(ImageKind.NAME);
        ImageKind k = new ImageKind(s);
        List<ImageTensor> decoded = new ArrayList<>(raw.size());
        for (RawItem r : raw) {
            decoded.add(k.decode(r));
        }
        return BareLoop.run(k, () -> ComputeDevice.resolve(s.get(Settings.DEVICE))
                .trainer(k.encoderSpec(), LearnerTopology.trainerConfig(s), null, 0), LearnerTopology.replayPlan(s),
                raw.stream().map(RawItem::getId).toList(), decoded, s.get(Settings.TRAINER_THREADS));
    }

    /** One pipeline run of {@link #runItems()}, learned in full. */
    public Throughput.Result pipeline(String applicationId) throws InterruptedException {
        return Throughput.pipeline(learnedInFull(), ImageKind.NAME, runItems(), applicationId, timeout, x -> { });
    }

    /**
     * Untimed runs of the bare loop and, if asked, of the pipeline, so that no timed run pays for the JIT (Kafka's
     * code as much as the trainer's).
     */
    public void warmUp(boolean pipelineToo) throws InvalidItemException, InterruptedException {
        System.out.printf("bench: warm-up (a bare loop on %d images, not timed)%n", items);
        bare(settings, runItems());
        if (pipelineToo) {
            System.out.printf("bench: warm-up (the pipeline on %d images, not timed)%n", items);
            pipeline("streamcl-bench-warm-up");
        }
    }

    /** Every image of an IDX file as a raw item; it must hold at least {@code atLeast}. */
    public static List<RawItem> loadImages(Path file, int atLeast) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("images not found: " + file + " (run from the repository root, or pass --images)");
        }
        IdxImages idx = IdxFile.readImages(file);
        if (idx.count() < atLeast) {
            throw new IOException(file + " has " + idx.count() + " images, fewer than --items " + atLeast);
        }
        List<RawItem> out = new ArrayList<>(idx.count());
        for (int i = 0; i < idx.count(); i++) {
            out.add(RawItems.image("b-" + i, System.currentTimeMillis(), RawItems.rawU8(idx.cols(), idx.rows(), 1,
                    idx.image(i))));
        }
        return out;
    }
}
