package io.streamcl.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code chromium}, headless, as a test's browser: it opens a page, lets its scripts run for a while of
 * virtual time (timers and fetches), and hands back the DOM they left. Each run is its own process with its own
 * profile directory, and is killed, children first, when it overruns.
 */
public final class HeadlessChromium {
    /** The names the browser goes by on the PATH (Debian's, then Ubuntu's older one). */
    private static final List<String> NAMES = List.of("chromium", "chromium-browser");
    private static final Pattern ELEMENT = Pattern.compile("<[a-z]+\\b[^>]*>");

    private final Path executable;

    private HeadlessChromium(Path executable) {
        this.executable = executable;
    }

    /** The browser on the PATH, if there is one. */
    public static Optional<HeadlessChromium> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new HeadlessChromium(candidate));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The DOM of {@code url} after {@code virtualTime} of its scripts' time.
     *
     * @param work a directory of the test's for the profile and the output
     */
    public String dumpDom(String url, Duration virtualTime, Path work) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        Path out = Files.createTempFile(work, "dom", ".html");
        Path err = Files.createTempFile(work, "chromium", ".log");
        Process p = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=" + virtualTime.toMillis(),
                "--dump-dom", url)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        // virtual time runs faster than the clock; the budget in real time is for a machine under load
        if (!p.waitFor(virtualTime.toSeconds() + 60, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new IOException("chromium did not finish with " + url + " in time; its log: " + tail(err));
        }
        if (p.exitValue() != 0) {
            throw new IOException("chromium exited with " + p.exitValue() + "; its log: " + tail(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** The attributes of the element of {@code dom} with this id (a dumped DOM writes each start tag whole). */
    public static Map<String, String> attributesOf(String dom, String id) {
        Matcher m = ELEMENT.matcher(dom);
        while (m.find()) {
            Map<String, String> attributes = new HashMap<>();
            Matcher a = Pattern.compile("([a-zA-Z-]+)=\"([^\"]*)\"").matcher(m.group());
            while (a.find()) {
                attributes.put(a.group(1), a.group(2));
            }
            if (id.equals(attributes.get("id"))) {
                return attributes;
            }
        }
        return Map.of();
    }

    private static String tail(Path log) throws IOException {
        String s = Files.readString(log, StandardCharsets.UTF_8);
        return s.length() <= 2000 ? s : "…" + s.substring(s.length() - 2000);
    }
}
