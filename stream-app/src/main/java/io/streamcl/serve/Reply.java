package io.streamcl.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * One HTTP answer, made by an endpoint without knowing the server: status, content type and body. Errors are
 * always JSON, {@code {"error": "..."}}, so that a script can read every answer the same way.
 */
public record Reply(int status, String contentType, String body) {
    public static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A value written as JSON by Jackson (records, maps, lists, numbers). */
    public static Reply json(int status, Object value) {
        try {
            return new Reply(status, JSON, MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass() + " as JSON", e);
        }
    }

    public static Reply error(int status, String message) {
        return json(status, Map.of("error", message));
    }
}
