package network.micro.registry.etcd.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The calls of etcd v3 this registry makes, through etcd's JSON gateway ({@code /v3/...}): keys and values travel
 * base64 encoded, 64-bit numbers as strings. A failed call moves on to the next configured endpoint, so the caller's
 * next attempt tries another member of the cluster.
 */
final class EtcdGateway {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    /**
     * A key and its value; the value is null when the key was deleted.
     *
     * @param key the key
     * @param value the value, UTF-8 decoded
     */
    record KeyValue(String key, String value) {}

    /**
     * The keys under a prefix as of one revision.
     *
     * @param revision the store's revision the keys were read at
     * @param keys the keys and values
     */
    record Range(long revision, List<KeyValue> keys) {}

    private final HttpClient http;
    private final List<URI> endpoints;
    private volatile int current;

    EtcdGateway(List<String> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no etcd address configured");
        }
        List<URI> uris = new ArrayList<>();
        for (String address : addresses) {
            uris.add(endpoint(address));
        }
        this.endpoints = List.copyOf(uris);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    private static URI endpoint(String address) {
        String trimmed = address.trim();
        String url = trimmed.contains("://") ? trimmed : "http://" + trimmed;
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null || uri.getPort() < 1) {
                throw new IllegalArgumentException("etcd address \"" + address + "\" needs a host and a port");
            }
            return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("etcd address \"" + address + "\" is not host:port or a URL", e);
        }
    }

    /** The endpoint the next call goes to, for logs. */
    String endpoint() {
        return endpoints.get(current).toString();
    }

    Range range(String prefix) throws IOException {
        JsonObject body = new JsonObject();
        body.addProperty("key", encode(prefix));
        body.addProperty("range_end", encode(prefixEnd(prefix)));
        JsonObject reply = call("/v3/kv/range", body);
        List<KeyValue> keys = new ArrayList<>();
        JsonElement kvs = reply.get("kvs");
        if (kvs != null && kvs.isJsonArray()) {
            for (JsonElement kv : kvs.getAsJsonArray()) {
                keys.add(keyValue(kv.getAsJsonObject(), false));
            }
        }
        return new Range(revision(reply), keys);
    }

    void put(String key, String value, long lease) throws IOException {
        JsonObject body = new JsonObject();
        body.addProperty("key", encode(key));
        body.addProperty("value", encode(value));
        if (lease != 0) {
            body.addProperty("lease", Long.toString(lease));
        }
        call("/v3/kv/put", body);
    }

    /** Grants a lease of {@code ttl}; returns its id. */
    long grant(Duration ttl) throws IOException {
        JsonObject body = new JsonObject();
        body.addProperty("TTL", Long.toString(Math.max(1, ttl.toSeconds())));
        return number(call("/v3/lease/grant", body), "ID");
    }

    /** Renews {@code lease}; returns the seconds it now has to live, 0 when etcd no longer knows it. */
    long keepAlive(long lease) throws IOException {
        JsonObject body = new JsonObject();
        body.addProperty("ID", Long.toString(lease));
        JsonElement result = call("/v3/lease/keepalive", body).get("result");
        return result != null && result.isJsonObject() ? number(result.getAsJsonObject(), "TTL") : 0;
    }

    /** Revokes {@code lease}, deleting every key it holds. */
    void revoke(long lease) throws IOException {
        JsonObject body = new JsonObject();
        body.addProperty("ID", Long.toString(lease));
        call("/v3/lease/revoke", body);
    }

    /** Opens a watch of every key under {@code prefix}, from {@code revision} on. */
    Watch watch(String prefix, long revision) throws IOException {
        JsonObject create = new JsonObject();
        create.addProperty("key", encode(prefix));
        create.addProperty("range_end", encode(prefixEnd(prefix)));
        create.addProperty("start_revision", Long.toString(revision));
        JsonObject body = new JsonObject();
        body.add("create_request", create);
        HttpRequest request = request("/v3/watch", body).build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            response.body().close();
            throw failed("/v3/watch", response.statusCode(), text);
        }
        return new Watch(response.body());
    }

    private JsonObject call(String path, JsonObject body) throws IOException {
        HttpRequest request = request(path, body).timeout(CALL_TIMEOUT).build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw failed(path, response.statusCode(), response.body());
        }
        return object(response.body(), path);
    }

    private HttpRequest.Builder request(String path, JsonObject body) {
        return HttpRequest.newBuilder(endpoints.get(current).resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            current = (current + 1) % endpoints.size();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + request.uri(), e);
        }
    }

    private IOException failed(String path, int status, String body) {
        String detail = body == null ? "" : body.strip();
        if (detail.length() > 200) {
            detail = detail.substring(0, 200) + "...";
        }
        return new IOException(endpoints.get(current) + path + " answered " + status + " " + detail);
    }

    private static JsonObject object(String text, String what) throws IOException {
        try {
            JsonElement json = JsonParser.parseString(text);
            if (!json.isJsonObject()) {
                throw new IOException(what + " answered a JSON value that is not an object");
            }
            JsonElement error = json.getAsJsonObject().get("error");
            if (error != null && !error.isJsonNull()) {
                throw new IOException(what + " answered an error: " + error);
            }
            return json.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IOException(what + " answered malformed JSON", e);
        }
    }

    private static KeyValue keyValue(JsonObject kv, boolean deleted) {
        String key = decode(kv.get("key"));
        return new KeyValue(key, deleted ? null : decode(kv.get("value")));
    }

    private static long revision(JsonObject reply) {
        JsonElement header = reply.get("header");
        return header != null && header.isJsonObject() ? number(header.getAsJsonObject(), "revision") : 0;
    }

    private static long number(JsonObject json, String field) {
        JsonElement value = json.get(field);
        if (value == null || !value.isJsonPrimitive()) {
            return 0;
        }
        try {
            return Long.parseLong(value.getAsString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String decode(JsonElement base64) {
        if (base64 == null || !base64.isJsonPrimitive()) {
            return "";
        }
        return new String(Base64.getDecoder().decode(base64.getAsString()), StandardCharsets.UTF_8);
    }

    /** The first key after every key that starts with {@code prefix}. */
    static byte[] prefixEnd(String prefix) {
        byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(bytes, i + 1);
                end[i]++;
                return end;
            }
        }
        return new byte[] {0};
    }

    /** An open watch: a stream of JSON messages, one a line, each a batch of changes. */
    static final class Watch implements AutoCloseable {

        private final InputStream in;
        private final BufferedReader reader;

        private Watch(InputStream in) {
            this.in = in;
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        /**
         * Blocks for the next batch of changes; an empty list for messages that change nothing.
         *
         * @throws IOException when the stream ends or etcd cancels the watch; the caller reads everything again
         */
        List<KeyValue> next() throws IOException {
            String line = reader.readLine();
            if (line == null) {
                throw new IOException("the watch stream ended");
            }
            JsonElement result = object(line, "/v3/watch").get("result");
            if (result == null || !result.isJsonObject()) {
                return List.of();
            }
            JsonObject message = result.getAsJsonObject();
            if (number(message, "compact_revision") != 0 || bool(message, "canceled")) {
                throw new IOException("etcd canceled the watch: " + message.get("cancel_reason"));
            }
            List<KeyValue> changes = new ArrayList<>();
            JsonElement events = message.get("events");
            if (events != null && events.isJsonArray()) {
                for (JsonElement event : (JsonArray) events) {
                    JsonObject json = event.getAsJsonObject();
                    JsonElement type = json.get("type");
                    boolean deleted = type != null && "DELETE".equals(type.getAsString());
                    changes.add(keyValue(json.getAsJsonObject("kv"), deleted));
                }
            }
            return changes;
        }

        private static boolean bool(JsonObject json, String field) {
            JsonElement value = json.get(field);
            return value != null && value.isJsonPrimitive() && value.getAsBoolean();
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // Closing ends the read in progress; nothing more to do.
            }
        }
    }
}
