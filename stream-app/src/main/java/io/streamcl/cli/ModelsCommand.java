package io.streamcl.cli;

import io.streamcl.schema.ModelSnapshot;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The model registry: every snapshot on the models topic, what the gate made of it, and what is served. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the model snapshots on the models topic: kind, version, step, time, the promotion gate's"
                + " verdict and figures, and which version each kind serves.")
public final class ModelsCommand implements Callable<Integer> {
    @Mixin
    RegistryOptions where;

    @Option(names = "--kind", completionCandidates = KindChoices.Kinds.class,
            description = "only this kind (${COMPLETION-CANDIDATES})")
    String kind;

    @Override
    public Integer call() {
        ModelRegistry registry = where.read(kind);
        System.out.printf("%-9s %-16s %7s %8s  %-24s  %-22s  %s%n", "kind", "name", "version", "step", "created",
                "served", "gate, metrics");
        for (ModelSnapshot s : registry.candidates()) {
            System.out.printf("%-9s %-16s %7d %8d  %-24s  %-22s  %s; %s%n", s.getKind(), s.getName(), s.getVersion(),
                    s.getStep(), s.getCreatedTime(), servedMark(registry, s), s.getGate() == null ? "no verdict"
                            : s.getGate(), metrics(s.getMetrics()));
        }
        System.out.printf("%d snapshots (compaction keeps at least the newest of each kind)%n",
                registry.candidates().size());
        for (String k : registry.kinds()) {
            Optional<ModelSnapshot> served = registry.served(k);
            System.out.printf("%s serves %s%n", k, served.map(s -> "v" + s.getVersion() + " (" + (s.getPromotion() == null
                    ? "no promotion record" : s.getPromotion().getMode() + " since " + s.getPromotion().getTime() + ": "
                            + s.getPromotion().getReason()) + ")").orElse("nothing yet"));
        }
        return 0;
    }

    /** Whether and how a snapshot was promoted: "served" for the one served now, else when it was. */
    private static String servedMark(ModelRegistry registry, ModelSnapshot s) {
        Optional<ModelSnapshot> served = registry.served(s.getKind());
        if (served.isPresent() && served.get().getVersion() == s.getVersion()) {
            // a record written by hand (or garbage) may lack its promotion: listed, not fatal
            return "SERVED (" + (served.get().getPromotion() == null ? "?" : served.get().getPromotion().getMode()) + ")";
        }
        return registry.promotions(s.getKind()).stream().filter(p -> p.getVersion() == s.getVersion()).findFirst()
                .map(p -> "was served (" + (p.getPromotion() == null ? "?" : p.getPromotion().getMode()) + ")")
                .orElse("-");
    }

    private static String metrics(Map<String, Double> metrics) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            b.append(b.isEmpty() ? "" : ", ").append(m.getKey()).append('=')
                    .append(m.getValue() == Math.rint(m.getValue()) && !m.getValue().isInfinite()
                            ? Long.toString(m.getValue().longValue())
                            : String.format(Locale.ROOT, "%.4f", m.getValue()));
        }
        return b.toString();
    }
}
