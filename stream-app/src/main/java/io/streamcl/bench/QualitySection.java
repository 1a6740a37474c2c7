package io.streamcl.bench;

import static io.streamcl.bench.SectionReport.f1;

import io.streamcl.config.Settings;
import io.streamcl.eval.EvalReport;
import io.streamcl.schema.RawItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Each kind streamed through the whole pipeline and learned in full; the converged feed scored. */
public final class QualitySection {
    private QualitySection() {}

    public static SectionReport measure(BenchRun run, List<QualityScenario.Loader> scenarios) throws Exception {
        SectionReport report = new SectionReport();
        report.heading("Quality: what is learned, against the baselines");
        report.text("Each kind streamed through the whole pipeline (in-JVM broker, exactly-once), learned in full"
                + " (`replay.max-backlog` = the stream's length). Once the feed has converged, the embeddings topic"
                + " itself and its served model are scored against the untrained model (version 0) and the kind's"
                + " baselines.%n%n");
        List<List<String>> rates = new ArrayList<>();
        for (QualityScenario.Loader scenario : scenarios) {
            rates.add(quality(run, report, scenario.load()));
        }
        report.text("Throughput of each kind through the pipeline in these runs:%n%n");
        report.table(List.of("kind", "items", "sustained (items/s)", "end to end (items/s)", "training steps/s"), rates);
        return report;
    }

    /** Streams one scenario through a fresh pipeline and scores it; returns its throughput row. */
    private static List<String> quality(BenchRun run, SectionReport report, QualityScenario scenario)
            throws Exception {
        List<RawItem> training = scenario.trainingItems();
        Map<String, String> s = new LinkedHashMap<>(scenario.settingDefaults());
        s.remove(Settings.REPLAY_UPDATES.name()); // the bench learns with the product's setting, not the demo's
        s.put(Settings.KINDS.name(), scenario.kind());
        s.put(Settings.REPLAY_MAX_BACKLOG.name(), Integer.toString(training.size()));
        Settings runSettings = run.settings().with(s);
        System.out.printf("bench: quality, %s: %s%n", scenario.kind(), scenario.describe());
        EvalReport[] evaluation = new EvalReport[1];
        Throughput.Result t = Throughput.pipeline(runSettings, scenario.kind(), training,
                "streamcl-bench-quality-" + scenario.kind(), run.timeout(), p -> {
                    evaluation[0] = scenario.evaluateFeed(p.settings(), p.metrics().trainerStep(scenario.kind()),
                            run.timeout());
                });
        System.out.println(evaluation[0].toText());
        report.text("**%s** (%s):%n%n", scenario.kind(), scenario.describe());
        report.evaluation("quality " + scenario.kind(), evaluation[0]);
        String subject = scenario.kind();
        return List.of(scenario.kind(), Integer.toString(training.size()),
                f1(report.figure("quality throughput", subject, "items_per_second_sustained",
                        t.sustainedItemsPerSecond())),
                f1(report.figure("quality throughput", subject, "items_per_second_end_to_end", t.itemsPerSecond())),
                f1(report.figure("quality throughput", subject, "steps_per_second", (t.steps() - 1) / t.stepWindow())));
    }
}
