package io.streamcl.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Sends a request on to the instance that holds its key, and brings its answer back as it is. The forwarded
 * request is marked, so that an instance that does not hold the key either (a rebalance in between) says so
 * instead of forwarding it again.
 */
final class OwnerForwarding {
    /** Marks a request one instance forwarded to another. */
    static final String FORWARDED = "X-Streamcl-Forwarded";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param path          already encoded, e.g. {@code /embeddings/a%20b}
     * @param authorization the caller's header, passed on: every instance of an app has the same token
     */
    Reply get(HostInfo owner, String path, String authorization) {
        return send(owner, path, HttpRequest.BodyPublishers.noBody(), "GET", authorization);
    }

    /** The same for a POST of a JSON body (an instance's part of a neighbour search). */
    Reply post(HostInfo owner, String path, String json, String authorization) {
        return send(owner, path, HttpRequest.BodyPublishers.ofString(json), "POST", authorization);
    }

    private Reply send(HostInfo owner, String path, HttpRequest.BodyPublisher body, String method,
            String authorization) {
        String address = owner.host() + ":" + owner.port();
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(Duration.ofSeconds(10))
                    .header(FORWARDED, "true").header("Content-Type", Reply.JSON).method(method, body);
        } catch (IllegalArgumentException e) {
            return Reply.error(502, "the owner's advertised address " + address + " is not usable: " + e.getMessage());
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(Reply.JSON), r.body());
        } catch (IOException e) {
            return Reply.error(502, "the instance at " + address + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(503, "interrupted while asking the instance at " + address);
        }
    }
}
