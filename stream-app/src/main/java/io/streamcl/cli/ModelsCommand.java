package io.streamcl.cli;

import io.streamcl.schema.ModelSnapshot;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The model registry: every snapshot on the models topic. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the model snapshots on the models topic: kind, name, version, step, time and metrics.")
public final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = "models", description = "default: ${DEFAULT-VALUE}")
    String topic;

    @Option(names = "--kind", description = "only this kind (image, sentence, event)")
    String kind;

    @Override
    public Integer call() {
        List<ModelSnapshot> snapshots = ModelSnapshotsScan.all(bootstrapServers, topic, kind);
        System.out.printf("%-9s %-16s %7s %8s  %-24s  %s%n", "kind", "name", "version", "step", "created", "metrics");
        for (ModelSnapshot s : snapshots) {
            StringBuilder metrics = new StringBuilder();
            for (Map.Entry<String, Double> m : s.getMetrics().entrySet()) {
                metrics.append(metrics.isEmpty() ? "" : ", ").append(m.getKey()).append('=')
                        .append(m.getValue() == Math.rint(m.getValue()) && !m.getValue().isInfinite()
                                ? Long.toString(m.getValue().longValue()) : String.format("%.4f", m.getValue()));
            }
            System.out.printf("%-9s %-16s %7d %8d  %-24s  %s%n", s.getKind(), s.getName(), s.getVersion(), s.getStep(),
                    s.getCreatedTime(), metrics);
        }
        System.out.printf("%d snapshots (compaction keeps at least the newest of each kind)%n", snapshots.size());
        return 0;
    }
}
