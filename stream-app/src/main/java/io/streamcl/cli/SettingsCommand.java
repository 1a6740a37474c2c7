package io.streamcl.cli;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Setting;
import io.streamcl.config.Settings;
import io.streamcl.kind.KindRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Every setting with its default, environment variable and rule; or the values in effect. */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = {"List every setting (a Markdown table), or with --resolved the values in effect and where each came from.",
                "Kafka's client security settings (security.protocol, sasl.*, ssl.*) pass through to every Kafka client;"
                        + " --resolved shows them with secrets masked."})
public final class SettingsCommand implements Callable<Integer> {
    @Mixin
    SettingsOptions settingsOptions;

    @Option(names = "--resolved", description = "show the values from defaults < --config < environment < flags")
    boolean resolved;

    @Override
    public Integer call() {
        if (resolved) {
            Settings s;
            try {
                s = settingsOptions.load(Map.of());
            } catch (InvalidSettingsException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            for (Setting<?> setting : s.all()) {
                String shown = setting == Settings.HTTP_TOKEN && !s.text(setting).isEmpty() ? "[hidden]" : s.text(setting);
                System.out.printf("%s=%s   # %s%n", setting.name(), shown, s.source(setting));
            }
            for (String name : s.clientSecurityNames()) { // secrets masked, as Kafka's own config logging does
                System.out.printf("%s=%s   # %s, passed through to every Kafka client%n", name,
                        s.shownClientSecurity(name), s.clientSecuritySource(name));
            }
            return 0;
        }
        System.out.println("| setting | default | environment | allowed | what it does |");
        System.out.println("|---|---|---|---|---|");
        for (Setting<?> s : KindRegistry.standard().defaultSettings().all()) {
            String def = s == Settings.STATE_DIR ? "`$TMPDIR/streamcl-state`"
                    : s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`";
            System.out.printf("| `%s` | %s | `%s` | %s | %s |%n", s.name(), def, s.envName(), cell(s.rule()),
                    cell(s.doc()));
        }
        return 0;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
