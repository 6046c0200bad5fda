package network.micro.registry.consul.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server that answers the Consul endpoints the registry uses as Consul's API documentation describes them:
 * {@code X-Consul-Index} on reads, blocking queries with {@code index} and {@code wait}, {@code passing} filtering,
 * 403 without the ACL token it was given, 404 for an unknown check, and the documented JSON shapes.
 */
final class FakeConsul implements AutoCloseable {

    /** The health entry of Consul's documentation for {@code GET /v1/health/service/:service} (sample response). */
    static final String REDIS_ENTRY = """
            {
              "Node": {
                "ID": "40e4a748-2192-161a-0510-9bf59fe950b5",
                "Node": "foobar",
                "Address": "10.1.10.12",
                "Datacenter": "dc1",
                "TaggedAddresses": {"lan": "10.1.10.12", "wan": "10.1.10.12"},
                "Meta": {"instance_type": "t2.medium"}
              },
              "Service": {
                "ID": "redis",
                "Service": "redis",
                "Tags": ["primary"],
                "Address": "10.1.10.12",
                "TaggedAddresses": {
                  "lan": {"address": "10.1.10.12", "port": 8000},
                  "wan": {"address": "198.18.1.2", "port": 80}
                },
                "Meta": {"redis_version": "4.0"},
                "Port": 8000,
                "Weights": {"Passing": 10, "Warning": 1},
                "Namespace": "default"
              },
              "Checks": [
                {
                  "Node": "foobar",
                  "CheckID": "service:redis",
                  "Name": "Service 'redis' check",
                  "Status": "passing",
                  "Notes": "",
                  "Output": "",
                  "ServiceID": "redis",
                  "ServiceName": "redis",
                  "ServiceTags": ["primary"],
                  "Namespace": "default"
                },
                {
                  "Node": "foobar",
                  "CheckID": "serfHealth",
                  "Name": "Serf Health Status",
                  "Status": "passing",
                  "Notes": "",
                  "Output": "",
                  "ServiceID": "",
                  "ServiceName": "",
                  "ServiceTags": [],
                  "Namespace": "default"
                }
              ]
            }
            """;

    private final Object lock = new Object();
    private final Map<String, JsonObject> entries = new TreeMap<>();
    private final Map<String, String> rawBodies = new HashMap<>();
    private final List<String> requests = new ArrayList<>();
    private final Map<String, Integer> passes = new HashMap<>();
    private final String token;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private long index;
    private boolean stopped;

    /** Starts on {@code port} of loopback (0 for any free one), its index at {@code index}. */
    FakeConsul(int port, long index, String token) throws IOException {
        this.index = index;
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/v1/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Adds or replaces a health entry, as a catalog registration would. */
    void put(String entryJson) {
        JsonObject entry = JsonParser.parseString(entryJson).getAsJsonObject();
        synchronized (lock) {
            entries.put(entry.getAsJsonObject("Service").get("ID").getAsString(), entry);
            changed();
        }
    }

    void remove(String serviceId) {
        synchronized (lock) {
            entries.remove(serviceId);
            changed();
        }
    }

    /** Sets the status of every check of {@code serviceId}. */
    void status(String serviceId, String status) {
        synchronized (lock) {
            for (JsonElement check : entries.get(serviceId).getAsJsonArray("Checks")) {
                check.getAsJsonObject().addProperty("Status", status);
            }
            changed();
        }
    }

    /** Makes the health endpoint of {@code service} answer {@code body} as it is. */
    void rawBody(String service, String body) {
        synchronized (lock) {
            rawBodies.put(service, body);
            changed();
        }
    }

    /** Forgets every service, as an agent restarted without its data would. */
    void forgetAll() {
        synchronized (lock) {
            entries.clear();
            changed();
        }
    }

    boolean has(String serviceId) {
        synchronized (lock) {
            return entries.containsKey(serviceId);
        }
    }

    int passes(String checkId) {
        synchronized (lock) {
            return passes.getOrDefault(checkId, 0);
        }
    }

    List<String> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    private void changed() {
        index++;
        lock.notifyAll();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            synchronized (lock) {
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            }
            if (token != null && !token.equals(exchange.getRequestHeaders().getFirst("X-Consul-Token"))) {
                respond(exchange, 403, "ACL not found", -1);
                return;
            }
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("/v1/catalog/services")) {
                long at = block(query);
                respond(exchange, 200, catalog(), at);
            } else if (method.equals("GET") && path.startsWith("/v1/health/service/")) {
                String name = URLDecoder.decode(path.substring("/v1/health/service/".length()), StandardCharsets.UTF_8);
                long at = block(query);
                respond(exchange, 200, health(name, query.containsKey("passing")), at);
            } else if (method.equals("PUT") && path.equals("/v1/agent/service/register")) {
                register(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                respond(exchange, 200, "", -1);
            } else if (method.equals("PUT") && path.startsWith("/v1/agent/check/pass/")) {
                String check =
                        URLDecoder.decode(path.substring("/v1/agent/check/pass/".length()), StandardCharsets.UTF_8);
                boolean known = pass(check);
                respond(exchange, known ? 200 : 404, known ? "" : "Unknown check ID \"" + check + "\"", -1);
            } else if (method.equals("PUT") && path.startsWith("/v1/agent/service/deregister/")) {
                remove(URLDecoder.decode(
                        path.substring("/v1/agent/service/deregister/".length()), StandardCharsets.UTF_8));
                respond(exchange, 200, "", -1);
            } else {
                respond(exchange, 404, "no handler for " + method + " " + path, -1);
            }
        }
    }

    /** Holds a blocking query until the index passes the one asked for, or its wait is over; returns the index. */
    private long block(Map<String, String> query) {
        long asked = Long.parseLong(query.getOrDefault("index", "0"));
        long waitMillis = duration(query.getOrDefault("wait", "300s"));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        synchronized (lock) {
            while (asked > 0 && index <= asked && !stopped) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return index;
        }
    }

    private String catalog() {
        JsonObject catalog = new JsonObject();
        synchronized (lock) {
            for (JsonObject entry : entries.values()) {
                JsonObject service = entry.getAsJsonObject("Service");
                JsonElement tags = service.get("Tags");
                catalog.add(service.get("Service").getAsString(), tags == null ? new JsonArray() : tags);
            }
            rawBodies.keySet().forEach(name -> catalog.add(name, new JsonArray()));
        }
        return catalog.toString();
    }

    private String health(String name, boolean passingOnly) {
        synchronized (lock) {
            if (rawBodies.containsKey(name)) {
                return rawBodies.get(name);
            }
            JsonArray answer = new JsonArray();
            for (JsonObject entry : entries.values()) {
                if (name.equals(entry.getAsJsonObject("Service").get("Service").getAsString())
                        && (!passingOnly || passing(entry))) {
                    answer.add(entry);
                }
            }
            return answer.toString();
        }
    }

    private static boolean passing(JsonObject entry) {
        for (JsonElement check : entry.getAsJsonArray("Checks")) {
            if (!"passing".equals(check.getAsJsonObject().get("Status").getAsString())) {
                return false;
            }
        }
        return true;
    }

    /** An agent registration becomes a health entry on node "agent-1", its check critical unless told otherwise. */
    private void register(String body) {
        JsonObject registration = JsonParser.parseString(body).getAsJsonObject();
        JsonObject check = registration.getAsJsonObject("Check");
        JsonObject node = new JsonObject();
        node.addProperty("Node", "agent-1");
        node.addProperty("Address", "127.0.0.1");
        JsonObject service = new JsonObject();
        service.addProperty("ID", registration.get("ID").getAsString());
        service.addProperty("Service", registration.get("Name").getAsString());
        service.addProperty("Address", registration.get("Address").getAsString());
        service.addProperty("Port", registration.get("Port").getAsInt());
        service.add("Meta", new JsonObject());
        JsonObject status = new JsonObject();
        status.addProperty("CheckID", check.get("CheckID").getAsString());
        status.addProperty("Status", check.has("Status") ? check.get("Status").getAsString() : "critical");
        status.addProperty("ServiceID", registration.get("ID").getAsString());
        JsonArray checks = new JsonArray();
        checks.add(status);
        JsonObject entry = new JsonObject();
        entry.add("Node", node);
        entry.add("Service", service);
        entry.add("Checks", checks);
        put(entry.toString());
    }

    private boolean pass(String checkId) {
        synchronized (lock) {
            for (JsonObject entry : entries.values()) {
                for (JsonElement check : entry.getAsJsonArray("Checks")) {
                    if (checkId.equals(check.getAsJsonObject().get("CheckID").getAsString())) {
                        passes.merge(checkId, 1, Integer::sum);
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static void respond(HttpExchange exchange, int status, String body, long index) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (index >= 0) {
            exchange.getResponseHeaders().set("X-Consul-Index", Long.toString(index));
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                query.put(
                        equals < 0 ? pair : pair.substring(0, equals),
                        equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static long duration(String text) {
        if (text.endsWith("ms")) {
            return Long.parseLong(text.substring(0, text.length() - 2));
        }
        if (text.endsWith("s")) {
            return Long.parseLong(text.substring(0, text.length() - 1)) * 1000;
        }
        if (text.endsWith("m")) {
            return Long.parseLong(text.substring(0, text.length() - 1)) * 60_000;
        }
        return Long.parseLong(text);
    }

    @Override
    public void close() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
