package io.streamcl.learn;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An encoder on disk as a DJL model directory: {@code encoder-0000.params} (DJL's parameter format, what
 * {@code Model.load} reads) and {@code encoder.properties} (the encoder config, under {@code encoder.*}, and
 * what the snapshot was, under {@code model.*}: kind, name, version, step).
 */
public final class EncoderFiles {
    /** The DJL model name, and so the prefix of the parameter file. */
    public static final String NAME = "encoder";
    private static final String PROPERTIES = NAME + ".properties";

    /** What a model directory holds. */
    public record Saved(Map<String, String> encoderConfig, Map<String, String> model, byte[] parameters) {}

    private EncoderFiles() {}

    /** Writes the directory (created if missing); an existing model in it is replaced. */
    public static void save(Path dir, EncoderSpec spec, byte[] parameters, Map<String, String> model)
            throws IOException {
        Files.createDirectories(dir);
        try (Model m = Model.newInstance(NAME, Device.cpu(), "PyTorch")) {
            ContrastiveEncoder encoder = spec.newEncoder();
            m.setBlock(encoder);
            encoder.initialize(m.getNDManager(), DataType.FLOAT32, spec.inputShape(1));
            ContrastiveTrainer.loadInto(encoder, m.getNDManager(), parameters);
            m.save(dir, NAME);
        }
        Properties p = new Properties();
        spec.config().forEach((k, v) -> p.setProperty("encoder." + k, v));
        model.forEach((k, v) -> p.setProperty("model." + k, v));
        try (Writer w = Files.newBufferedWriter(dir.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
            p.store(w, "streamcl encoder; the parameters are in " + NAME + "-0000.params");
        }
    }

    /**
     * Reads a directory written by {@link #save}.
     *
     * @param specOf the encoder a config describes (the kind's {@code encoderSpec(config)})
     * @throws IOException if the directory is not such a model
     */
    public static Saved load(Path dir, Function<Map<String, String>, EncoderSpec> specOf) throws IOException {
        Path props = dir.resolve(PROPERTIES);
        if (!Files.isRegularFile(props)) {
            throw new IOException(dir + " is not a model directory (no " + PROPERTIES + "; make one with export-model)");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> config = new LinkedHashMap<>();
        Map<String, String> model = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("encoder.")) {
                config.put(key.substring("encoder.".length()), p.getProperty(key));
            } else if (key.startsWith("model.")) {
                model.put(key.substring("model.".length()), p.getProperty(key));
            }
        }
        EncoderSpec spec = specOf.apply(config);
        try (Model m = Model.newInstance(NAME, Device.cpu(), "PyTorch")) {
            ContrastiveEncoder encoder = spec.newEncoder();
            m.setBlock(encoder);
            m.load(dir, NAME);
            return new Saved(config, model, ContrastiveTrainer.saveParameters(encoder));
        } catch (MalformedModelException e) {
            throw new IOException("cannot load the parameters in " + dir + ": " + e.getMessage(), e);
        }
    }
}
