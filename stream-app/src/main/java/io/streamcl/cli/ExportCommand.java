package io.streamcl.cli;

import io.streamcl.eval.EmbeddingFile;
import io.streamcl.eval.ExportedEmbedding;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.serde.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes the latest embedding per id from the embeddings topic to a file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the latest embedding per id as CSV (id,model_version,v0,...) or JSONL.")
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
    String bootstrapServers;

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

    @Override
    public Integer call() {
        Map<String, ExportedEmbedding> latest = new LinkedHashMap<>();
        AvroSerde<Embedding> serde = AvroSerde.of(Embedding.class);
        boolean complete = TopicScan.scan(bootstrapServers, topic, serde.deserializer(),
                Duration.ofSeconds(timeoutSeconds), r -> {
                    Embedding e = r.value();
                    if (kind == null || kind.equals(e.getKind())) {
                        latest.put(e.getId(), toExported(e));
                    }
                }, () -> latest.size() >= waitFor);
        EmbeddingFile.Format f = format != null ? format : EmbeddingFile.Format.ofPath(out);
        try {
            EmbeddingFile.write(out, f, latest.values());
        } catch (java.io.IOException e) {
            System.err.println("cannot write " + out + ": " + e.getMessage());
            return 1;
        }
        System.out.printf("exported %d embeddings to %s%n", latest.size(), out);
        if (!complete) {
            System.err.printf("timed out after %d s with %d of the %d ids asked for%n", timeoutSeconds, latest.size(),
                    waitFor);
            return 1;
        }
        return 0;
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
