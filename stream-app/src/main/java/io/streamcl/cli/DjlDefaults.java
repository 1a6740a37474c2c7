package io.streamcl.cli;

/**
 * DJL must never reach the network: its native libraries come from the jar. Users may still
 * override each property on the command line.
 */
final class DjlDefaults {
    private DjlDefaults() {}

    static void apply() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true"); // otherwise the engine probes a cloud metadata address
        setIfAbsent("ai.djl.default_engine", "PyTorch");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
