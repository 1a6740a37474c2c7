package io.streamcl.cli;

import io.streamcl.eval.EmbeddingFile;
import io.streamcl.eval.ExportedEmbedding;
import io.streamcl.schema.Embedding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes the latest embedding per id from the embeddings topic to a file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the latest embedding per id as CSV (id,model_version,v0,...) or JSONL.")
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    SettingsOptions settingsOptions;

    @Option(names = "--topic", defaultValue = "embeddings", description = "default: ${DEFAULT-VALUE}")
    String topic;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = ".csv or .jsonl")
    Path out;

    @Option(names = "--format", description = "csv or jsonl (default: from the file name)")
    EmbeddingFile.Format format;

    @Option(names = "--wait-for", defaultValue = "0", paramLabel = "N",
            description = "wait until embeddings of at least N distinct ids have arrived")
    int waitFor;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "S", description = "give up after S seconds (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--kind", description = "only this kind (image, ...)")
    String kind;

    @Option(names = "--converged", description = "also wait until the feed has converged: for each kind exported,"
            + " every id on the kind's served version, that version marked complete on every partition, and the"
            + " trainer with nothing left to learn")
    boolean converged;

    @Option(names = "--models-topic", defaultValue = "models", description = "with --converged (default: ${DEFAULT-VALUE})")
    String modelsTopic;

    @Option(names = "--status-topic", defaultValue = "embedding-status",
            description = "with --converged (default: ${DEFAULT-VALUE})")
    String statusTopic;

    @Override
    public Integer call() {
        FeedReader.Feed feed = FeedReader.read(settingsOptions.kafkaClientProperties(), topic, modelsTopic, statusTopic, kind, waitFor,
                converged, Duration.ofSeconds(timeoutSeconds));
        Map<String, ExportedEmbedding> latest = feed.latest();
        List<String> missing = feed.missing();
        boolean complete = feed.complete();
        EmbeddingFile.Format f = format != null ? format : EmbeddingFile.Format.ofPath(out);
        try {
            EmbeddingFile.write(out, f, latest.values());
        } catch (java.io.IOException e) {
            System.err.println("cannot write " + out + ": " + e.getMessage());
            return 1;
        }
        System.out.printf("exported %d embeddings to %s%n", latest.size(), out);
        if (!complete) {
            if (latest.size() < waitFor) {
                System.err.printf("timed out after %d s with %d of the %d ids asked for%n", timeoutSeconds,
                        latest.size(), waitFor);
            } else {
                System.err.printf("timed out after %d s: the feed has not converged:%n", timeoutSeconds);
                missing.forEach(m -> System.err.println("  " + m));
            }
            return 1;
        }
        if (converged) {
            System.out.println("the feed has converged: " + versions(latest.values()));
        }
        return 0;
    }

    /** Ids per model and version, e.g. "image-moco v7: 10000 ids". */
    private static String versions(java.util.Collection<ExportedEmbedding> rows) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        rows.forEach(e -> counts.merge(e.modelName() + " v" + e.modelVersion(), 1L, Long::sum));
        return String.join(", ", counts.entrySet().stream().map(c -> c.getKey() + ": " + c.getValue() + " ids").toList());
    }

    static ExportedEmbedding toExported(Embedding e) {
        float[] v = new float[e.getVector().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = e.getVector().get(i);
        }
        return new ExportedEmbedding(e.getId(), e.getKind(), e.getModel().getName(), e.getModel().getVersion(),
                e.getModel().getStep(), v);
    }
}
