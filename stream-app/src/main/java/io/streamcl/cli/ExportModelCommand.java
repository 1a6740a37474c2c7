package io.streamcl.cli;

import io.streamcl.kind.ItemKind;
import io.streamcl.kind.KindDefinition;
import io.streamcl.kind.KindRegistry;
import io.streamcl.learn.EncoderFiles;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.topology.ModelSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes one snapshot as a DJL model directory, for {@code embed} or any DJL program. */
@Command(name = "export-model", mixinStandardHelpOptions = true,
        description = "Write a model snapshot from the models topic as a DJL model directory (encoder-0000.params and"
                + " encoder.properties).")
public final class ExportModelCommand implements Callable<Integer> {
    @Mixin
    RegistryOptions where;

    @Option(names = "--kind", required = true, completionCandidates = KindChoices.Kinds.class,
            description = "${COMPLETION-CANDIDATES}")
    String kind;

    @Option(names = "--version", description = "the snapshot's version (default: the served one, else the newest)")
    Long version;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Override
    public Integer call() {
        Optional<KindDefinition> definition = KindRegistry.standard().byName(kind);
        if (definition.isEmpty()) {
            System.err.println("unknown kind " + kind + " (" + String.join(", ", KindRegistry.standard().names()) + ")");
            return 2;
        }
        ItemKind<?> itemKind = definition.get().configure(KindRegistry.standard().defaultSettings());
        ModelRegistry registry = where.read(kind);
        List<ModelSnapshot> snapshots = registry.candidates();
        if (snapshots.isEmpty()) {
            System.err.println("no " + kind + " snapshot on " + where.topic + " at " + where.bootstrap());
            return 1;
        }
        ModelSnapshot s = version == null ? registry.served(kind).orElse(snapshots.get(snapshots.size() - 1))
                : registry.candidate(kind, version).orElse(null);
        if (s == null) {
            System.err.println(kind + " v" + version + " is not on " + where.topic + "; versions there: "
                    + snapshots.stream().map(x -> "v" + x.getVersion()).toList());
            return 1;
        }
        try {
            EncoderFiles.save(out, itemKind.encoderSpec(s.getEncoderConfig()), ModelSnapshots.parameters(s),
                    Map.of("kind", s.getKind(), "name", s.getName(), "version", Long.toString(s.getVersion()),
                            "step", Long.toString(s.getStep()), "created", s.getCreatedTime().toString()));
        } catch (IOException e) {
            System.err.println("cannot write " + out + ": " + e.getMessage());
            return 1;
        }
        System.out.printf("exported %s v%d (step %d) to %s%n", s.getName(), s.getVersion(), s.getStep(), out);
        return 0;
    }
}
