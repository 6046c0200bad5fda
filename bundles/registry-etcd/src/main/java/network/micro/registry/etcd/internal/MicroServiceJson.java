package network.micro.registry.etcd.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import network.micro.api.HostPort;
import network.micro.api.ServiceInstance;
import network.micro.support.ServiceToRegister;

/**
 * The values go-micro's etcd registry writes: one key per node, {@code <prefix><service>/<node id>}, holding its
 * {@code registry.Service} as JSON with that one node.
 *
 * <pre>{@code
 * {"name": "greeter", "version": "1.0.0", "metadata": {}, "endpoints": [],
 *  "nodes": [{"id": "greeter-1", "address": "10.0.0.5:9090", "metadata": {"protocol": "http"}}]}
 * }</pre>
 *
 * Reading is lenient where go-micro is (absent version, metadata or endpoints) and strict where a node could not be
 * dialled: a value that is not such an object is skipped whole, a node without an id or a usable address alone.
 */
final class MicroServiceJson {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    /**
     * What one key holds.
     *
     * @param name the service name
     * @param version the service version, empty when none
     * @param metadata the service metadata
     * @param instances the usable nodes of the value
     */
    record Entry(String name, String version, Map<String, String> metadata, List<ServiceInstance> instances) {}

    private MicroServiceJson() {}

    /**
     * Reads the value of {@code key}. Every part skipped is reported to {@code problems} as a sentence naming the key.
     *
     * @return the entry, or null when the value as a whole cannot be used
     */
    static Entry decode(String key, String value, Consumer<String> problems) {
        JsonElement root;
        try {
            root = JsonParser.parseString(value);
        } catch (JsonParseException e) {
            problems.accept("key " + key + ": malformed JSON (" + firstLine(e) + "); skipped");
            return null;
        }
        if (!root.isJsonObject()) {
            problems.accept("key " + key + ": the value is not a JSON object; skipped");
            return null;
        }
        JsonObject json = root.getAsJsonObject();
        String name = string(json, "name");
        if (name == null || !NAME.matcher(name).matches()) {
            problems.accept("key " + key + ": \"name\" is missing or not a service name; skipped");
            return null;
        }
        String where = "key " + key + " (service " + name + ")";
        String version = string(json, "version");
        Map<String, String> metadata = metadata(json.get("metadata"), where, problems);
        JsonElement nodes = json.get("nodes");
        if (nodes == null || !nodes.isJsonArray()) {
            problems.accept(where + ": \"nodes\" is missing or not an array; skipped");
            return null;
        }
        List<ServiceInstance> instances = new ArrayList<>();
        JsonArray array = nodes.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            ServiceInstance instance = node(array.get(i), where + ": nodes[" + i + "]", problems);
            if (instance != null) {
                instances.add(instance);
            }
        }
        return new Entry(name, version == null ? "" : version, metadata, instances);
    }

    private static ServiceInstance node(JsonElement element, String where, Consumer<String> problems) {
        if (!element.isJsonObject()) {
            problems.accept(where + ": not a JSON object; skipped");
            return null;
        }
        JsonObject json = element.getAsJsonObject();
        String id = string(json, "id");
        if (id == null || id.isBlank()) {
            problems.accept(where + ": \"id\" is missing; skipped");
            return null;
        }
        String address = string(json, "address");
        try {
            HostPort.parseDialable(address);
        } catch (IllegalArgumentException e) {
            problems.accept(where + " \"" + id + "\": " + e.getMessage() + "; skipped");
            return null;
        }
        return new ServiceInstance(id, address, metadata(json.get("metadata"), where, problems));
    }

    private static Map<String, String> metadata(JsonElement element, String where, Consumer<String> problems) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (element == null || element.isJsonNull()) {
            return metadata;
        }
        if (!element.isJsonObject()) {
            problems.accept(where + ": \"metadata\" is not an object; ignored");
            return metadata;
        }
        for (Map.Entry<String, JsonElement> field : element.getAsJsonObject().entrySet()) {
            if (field.getValue().isJsonPrimitive()) {
                metadata.put(field.getKey(), field.getValue().getAsString());
            } else {
                problems.accept(where + ": metadata \"" + field.getKey() + "\" is not a string; ignored");
            }
        }
        return metadata;
    }

    private static String string(JsonObject json, String field) {
        JsonElement value = json.get(field);
        if (value == null
                || !value.isJsonPrimitive()
                || !value.getAsJsonPrimitive().isString()) {
            return null;
        }
        return value.getAsString();
    }

    /** The value go-micro would write for one node of {@code service}. */
    static String encode(ServiceToRegister service, String id, String version, Map<String, String> metadata) {
        JsonObject node = new JsonObject();
        node.addProperty("id", id);
        node.addProperty("address", service.address());
        node.add("metadata", toJson(metadata));
        JsonArray nodes = new JsonArray();
        nodes.add(node);
        JsonObject json = new JsonObject();
        json.addProperty("name", service.name());
        json.addProperty("version", version);
        json.add("metadata", toJson(metadata));
        json.add("endpoints", new JsonArray());
        json.add("nodes", nodes);
        return json.toString();
    }

    /** go-micro's key for a node: slashes in the service name and node id become dashes. */
    static String nodeKey(String prefix, String service, String id) {
        return prefix + service.replace('/', '-') + "/" + id.replace('/', '-');
    }

    private static JsonObject toJson(Map<String, String> metadata) {
        JsonObject json = new JsonObject();
        metadata.forEach(json::addProperty);
        return json;
    }

    private static String firstLine(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = String.valueOf(cause.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
