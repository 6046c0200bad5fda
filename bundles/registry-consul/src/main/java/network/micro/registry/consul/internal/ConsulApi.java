package network.micro.registry.consul.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The calls of Consul's HTTP API this registry makes, asynchronous so that a blocking query per service costs no
 * thread. Every call carries the ACL token when one is set; a call that fails moves on to the next configured
 * agent, so the caller's next attempt tries another.
 */
final class ConsulApi {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    /**
     * A successful read.
     *
     * @param index the {@code X-Consul-Index} header, 0 when absent
     * @param body the body, JSON
     */
    record Answer(long index, String body) {}

    private final HttpClient http;
    private final List<URI> endpoints;
    private final String token;
    private volatile int current;

    ConsulApi(List<String> addresses, String token) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no Consul address configured");
        }
        List<URI> uris = new ArrayList<>();
        for (String address : addresses) {
            uris.add(endpoint(address));
        }
        this.endpoints = List.copyOf(uris);
        this.token = token;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    private static URI endpoint(String address) {
        String trimmed = address.trim();
        try {
            URI uri = URI.create(trimmed.contains("://") ? trimmed : "http://" + trimmed);
            if (uri.getHost() == null || uri.getPort() < 1) {
                throw new IllegalArgumentException("Consul address \"" + address + "\" needs a host and a port");
            }
            return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Consul address \"" + address + "\" is not host:port or a URL", e);
        }
    }

    /** The agent the next call goes to, for logs. */
    String endpoint() {
        return endpoints.get(current).toString();
    }

    /** {@code name} as one path segment. */
    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Reads {@code path}; with {@code index} above 0 a blocking query that waits up to {@code wait} for a change.
     * Completes exceptionally with an {@link IOException} on any answer but 200.
     */
    CompletableFuture<Answer> read(String path, long index, Duration wait) {
        String query = index > 0
                ? (path.contains("?") ? "&" : "?") + "index=" + index + "&wait=" + wait.toSeconds() + "s"
                : "";
        // Consul adds up to wait/16 to spread wake-ups; leave room for that and the answer.
        Duration timeout = index > 0 ? wait.plus(wait.dividedBy(16)).plus(CALL_TIMEOUT) : CALL_TIMEOUT;
        URI endpoint = endpoints.get(current);
        HttpRequest request =
                request(endpoint, path + query).timeout(timeout).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        failedOver(endpoint);
                        throw new CompletionFailure(new IOException(endpoint + "/v1" + path + ": " + error, error));
                    }
                    if (response.statusCode() != 200) {
                        throw new CompletionFailure(failed(endpoint, path, response));
                    }
                    long answered = response.headers()
                            .firstValue("X-Consul-Index")
                            .map(ConsulApi::number)
                            .orElse(0L);
                    return new Answer(answered, response.body());
                });
    }

    /** Writes {@code body} to {@code path} with PUT; returns the status, 200 when done. */
    HttpResponse<String> put(String path, String body) throws IOException {
        URI endpoint = endpoints.get(current);
        HttpRequest request = request(endpoint, path)
                .timeout(CALL_TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            failedOver(endpoint);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + request.uri(), e);
        }
    }

    private HttpRequest.Builder request(URI endpoint, String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint + "/v1" + pathAndQuery))
                .header("Content-Type", "application/json");
        if (!token.isEmpty()) {
            builder.header("X-Consul-Token", token);
        }
        return builder;
    }

    private void failedOver(URI endpoint) {
        synchronized (endpoints) {
            if (endpoints.get(current).equals(endpoint)) {
                current = (current + 1) % endpoints.size();
            }
        }
    }

    static IOException failed(URI endpoint, String path, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().strip();
        if (body.length() > 200) {
            body = body.substring(0, 200) + "...";
        }
        return new IOException(endpoint + "/v1" + path + " answered " + response.statusCode() + " " + body);
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Carries an {@link IOException} out of a completion stage. */
    static final class CompletionFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        CompletionFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
