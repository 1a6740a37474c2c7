package io.streamcl.learn;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one mapping between an {@link EncoderSpec} record and its config ({@link EncoderSpec#config()}):
 * {@code type} first, then every component of the record under its name in snake_case (convChannels is
 * conv_channels), an int, a float or a string as Java prints it, an int array comma-separated. The maps are on the
 * models topic (ModelSnapshot.encoderConfig), in checkpoints and in model directories, so the names and
 * formats are what they have always been.
 */
final class EncoderConfigs {
    private EncoderConfigs() {}

    /** The config of a spec, {@code type} first and then its components in declaration order. */
    static Map<String, String> of(String type, Record spec) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("type", type);
        for (RecordComponent rc : spec.getClass().getRecordComponents()) {
            c.put(key(rc), format(rc, value(rc, spec)));
        }
        return c;
    }

    /**
     * The spec a config describes.
     *
     * @throws IllegalArgumentException if the config is of another type, lacks a component, or holds a value
     *     the spec refuses
     */
    static <R extends Record & EncoderSpec> R parse(Class<R> specClass, String type, Map<String, String> c) {
        if (!type.equals(c.get("type"))) {
            throw new IllegalArgumentException("not a " + type + " config: " + c);
        }
        RecordComponent[] components = specClass.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String value = c.get(key(components[i]));
            if (value == null) {
                throw new IllegalArgumentException(type + " config without " + key(components[i]) + ": " + c);
            }
            types[i] = components[i].getType();
            args[i] = parse(types[i], value);
        }
        try {
            Constructor<R> canonical = specClass.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) { // the spec's own validation
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + specClass.getSimpleName() + " from its config", e);
        }
    }

    private static String key(RecordComponent rc) {
        return rc.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }

    private static Object value(RecordComponent rc, Record spec) {
        try {
            return rc.getAccessor().invoke(spec);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + rc.getName() + " of " + spec.getClass().getSimpleName(),
                    e);
        }
    }

    private static String format(RecordComponent rc, Object value) {
        if (value instanceof int[] ints) {
            return Arrays.stream(ints).mapToObj(Integer::toString).collect(Collectors.joining(","));
        }
        if (value instanceof Integer || value instanceof Float || value instanceof String) {
            return value.toString();
        }
        throw new IllegalStateException("an encoder config holds ints, floats, strings and int arrays, not the "
                + rc.getType().getSimpleName() + " " + rc.getName());
    }

    private static Object parse(Class<?> type, String value) {
        if (type == int.class) {
            return Integer.parseInt(value);
        }
        if (type == float.class) {
            return Float.parseFloat(value);
        }
        if (type == String.class) {
            return value;
        }
        if (type == int[].class) {
            return Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
        }
        throw new IllegalStateException("an encoder config holds ints, floats, strings and int arrays, not " + type);
    }
}
