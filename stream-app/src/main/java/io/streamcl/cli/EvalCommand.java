package io.streamcl.cli;

import io.streamcl.eval.EmbeddingFile;
import io.streamcl.eval.ExportedEmbedding;
import io.streamcl.eval.KnnClassifier;
import io.streamcl.eval.KnnEvaluation;
import io.streamcl.eval.KnnEvaluation.NoUsableQueriesException;
import io.streamcl.eval.Labels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eval}: weighted kNN accuracy (InstDisc) and uniformity of exported embeddings, one row per
 * model version. Reads the files written by {@code export}; needs no broker and no model.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
            "Evaluates exported embeddings: weighted kNN top-1 accuracy (k nearest by cosine vote with"
                    + " weight exp(sim/T)) and uniformity, one row per model version.",
            "Queries come from --queries, or else from a seeded holdout of the memory's labelled ids."
                    + " Embeddings of different model versions are never compared with each other."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:a file could not be read or written, or is malformed",
            "2:bad options, or nothing to evaluate (no usable queries)"})
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--memory", required = true, paramLabel = "FILE",
            description = "Exported embeddings (CSV or JSONL, optionally .gz) used as the labelled memory.")
    Path memory;

    @Option(names = "--memory-labels", required = true, paramLabel = "FILE",
            description = "Labels of the memory ids: an IDX label file (gzip or not) or a CSV id,label file.")
    Path memoryLabels;

    @Option(names = "--memory-id-prefix", paramLabel = "P", defaultValue = "",
            description = "Prefix of the ids of an IDX label file: item i is P + i (default: '${DEFAULT-VALUE}').")
    String memoryIdPrefix;

    @Option(names = "--queries", paramLabel = "FILE",
            description = "Exported embeddings to classify. Without it, --holdout of the memory ids are the queries.")
    Path queries;

    @Option(names = "--query-labels", paramLabel = "FILE",
            description = "Labels of the query ids (default: the --memory-labels file). Matched to the memory's by name.")
    Path queryLabels;

    @Option(names = "--query-id-prefix", paramLabel = "P", defaultValue = "",
            description = "Id prefix for an IDX query label file (default: '${DEFAULT-VALUE}').")
    String queryIdPrefix;

    @Option(names = "--holdout", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Without --queries: the fraction of labelled memory ids held out as queries, in (0, 1)"
                    + " (default: ${DEFAULT-VALUE}).")
    double holdout;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the holdout shuffle and of the uniformity pair sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--k", defaultValue = "" + KnnClassifier.DEFAULT_K,
            description = "Neighbours that vote; all of the memory if it is smaller (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--temperature", defaultValue = "" + KnnClassifier.DEFAULT_TEMPERATURE,
            description = "T in the vote weight exp(sim/T) (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--uniformity-pairs", paramLabel = "N", defaultValue = "100000",
            description = "The most pairs sampled for uniformity (default: ${DEFAULT-VALUE}).")
    int uniformityPairs;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the report as JSON here.")
    Path reportJson;

    @Override
    public Integer call() {
        KnnEvaluation.Options options;
        try {
            options = new KnnEvaluation.Options(k, temperature, holdout, seed, uniformityPairs);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (queries == null && (queryLabels != null || !queryIdPrefix.isEmpty())) {
            throw new ParameterException(spec.commandLine(), "--query-labels and --query-id-prefix need --queries");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<ExportedEmbedding> memoryRows = EmbeddingFile.read(memory);
            Labels labels = Labels.load(memoryLabels, memoryIdPrefix);
            KnnEvaluation.Result result;
            if (queries == null) {
                result = KnnEvaluation.holdout(memoryRows, labels, options);
            } else {
                List<ExportedEmbedding> queryRows = EmbeddingFile.read(queries);
                Labels forQueries = queryLabels != null ? Labels.load(queryLabels, queryIdPrefix)
                        : queryIdPrefix.equals(memoryIdPrefix) ? labels : Labels.load(memoryLabels, queryIdPrefix);
                result = KnnEvaluation.withQueries(memoryRows, labels, queryRows, forQueries, options);
            }
            result.messages().forEach(err::println);
            err.flush();
            result.report().putMeta("memory file", memory.toString());
            if (queries != null) {
                result.report().putMeta("query file", queries.toString());
            }
            out.print(result.report().toText());
            out.flush();
            if (reportJson != null) {
                Files.writeString(reportJson, result.report().toJson());
            }
            return 0;
        } catch (NoUsableQueriesException e) {
            e.messages().forEach(err::println);
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + e.getFile());
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
