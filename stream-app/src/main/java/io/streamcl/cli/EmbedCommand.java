package io.streamcl.cli;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.eval.EmbeddingFile;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.learn.ComputeDevice;
import io.streamcl.learn.Embedder;
import io.streamcl.learn.EncoderFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Embeds a file offline with an exported model, exactly as the stream embeds it: the same decoding, the
 * same encoder input, the same {@link Embedder}, so the vectors equal those the stream published with
 * that version, bit for bit.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Embed a file of items with a model written by export-model, without Kafka.",
                "Pass the settings the learner ran with (--set/--config): they decide how items become encoder input."})
public final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a directory written by export-model")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = ".csv or .jsonl, as export writes")
    Path out;

    @Mixin
    ItemSource source;

    @Mixin
    SettingsOptions settingsOptions;

    @Override
    public Integer call() {
        String problem = source.problem();
        if (problem != null) {
            System.err.println(problem);
            return 2;
        }
        Settings settings;
        try {
            settings = settingsOptions.load(java.util.Map.of(Settings.KINDS.name(), source.kind));
        } catch (InvalidSettingsException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        ItemKind<?> kind = ItemKinds.fromSettings(settings).byName(source.kind).orElseThrow();
        EncoderFiles.Saved saved;
        try {
            saved = EncoderFiles.load(model, kind::encoderSpec);
        } catch (IOException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (!source.kind.equals(saved.model().get("kind"))) {
            System.err.println(model + " holds a " + saved.model().get("kind") + " model, not " + source.kind);
            return 2;
        }
        if (!kind.encoderSpec(saved.encoderConfig()).equals(kind.encoderSpec())) {
            System.err.println("the model's encoder " + saved.encoderConfig() + " is not what these settings make ("
                    + kind.encoderSpec().config() + "): pass the settings the learner ran with");
            return 2;
        }
        long start = System.nanoTime();
        try (Embedder embedder = ComputeDevice.resolve(settings.get(Settings.DEVICE))
                .embedder(kind.encoderSpec(), saved.parameters());
                EmbeddingFile.Writer writer = EmbeddingFile.writer(out, EmbeddingFile.Format.ofPath(out))) {
            OfflineEmbedding.Counts counts = OfflineEmbedding.run(kind, source, embedder, saved.model(), writer);
            System.out.printf("embedded %d items as %d vectors with %s v%s to %s (%d skipped) in %.1f s%n", counts.items(),
                    writer.rows(), saved.model().get("name"), saved.model().get("version"), out, counts.skipped(),
                    (System.nanoTime() - start) / 1e9);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot embed " + source.describe() + " to " + out + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
