package network.micro.registry.consul.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import network.micro.api.HostPort;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;
import network.micro.support.ServiceToRegister;

/**
 * Reads the answers of Consul's catalog and health endpoints, and writes the agent's service registration.
 *
 * <p>An answer that is not the documented shape as a whole fails the call; one entry that cannot be used (no
 * address, a port out of range, a failing check) is skipped and reported, and the rest are kept.
 */
final class ConsulJson {

    private ConsulJson() {}

    /** The names of {@code GET /v1/catalog/services}: an object of service name to tags. */
    static Set<String> serviceNames(String body) throws IOException {
        JsonElement json = parse(body, "/v1/catalog/services");
        if (!json.isJsonObject()) {
            throw new IOException("/v1/catalog/services answered JSON that is not an object of service names");
        }
        return new TreeSet<>(json.getAsJsonObject().keySet());
    }

    /**
     * The instances of {@code GET /v1/health/service/NAME}: an array of entries with {@code Node}, {@code Service}
     * and {@code Checks}. Entries with a check that is not passing are left out, even if the server did not filter.
     */
    static Service service(String name, String body, Consumer<String> problems) throws IOException {
        String where = "/v1/health/service/" + name;
        JsonElement json = parse(body, where);
        if (!json.isJsonArray()) {
            throw new IOException(where + " answered JSON that is not an array of entries");
        }
        JsonArray entries = json.getAsJsonArray();
        Map<String, ServiceInstance> instances = new LinkedHashMap<>();
        String version = "";
        for (int i = 0; i < entries.size(); i++) {
            String entry = "service " + name + " entry " + i;
            JsonElement element = entries.get(i);
            if (!element.isJsonObject()) {
                problems.accept(entry + ": not a JSON object; skipped");
                continue;
            }
            JsonObject object = element.getAsJsonObject();
            JsonObject service = object(object, "Service");
            if (service == null) {
                problems.accept(entry + ": \"Service\" is missing; skipped");
                continue;
            }
            String id = string(service, "ID");
            if (id.isEmpty()) {
                problems.accept(entry + ": \"Service.ID\" is missing; skipped");
                continue;
            }
            entry = "service " + name + " instance " + id;
            if (!passing(object)) {
                continue;
            }
            ServiceInstance instance = instance(id, service, object(object, "Node"), entry, problems);
            if (instance != null) {
                instances.putIfAbsent(id, instance);
                version = version.isEmpty() ? instance.metadata().getOrDefault("version", "") : version;
            }
        }
        List<ServiceInstance> sorted = new ArrayList<>(instances.values());
        sorted.sort(Comparator.comparing(ServiceInstance::id));
        return new Service(name, version, Map.of(), sorted);
    }

    private static ServiceInstance instance(
            String id, JsonObject service, JsonObject node, String entry, Consumer<String> problems) {
        String host = string(service, "Address");
        if (host.isEmpty() && node != null) {
            host = string(node, "Address");
        }
        JsonElement port = service.get("Port");
        if (host.isEmpty()) {
            problems.accept(entry + ": neither \"Service.Address\" nor \"Node.Address\" is set; skipped");
            return null;
        }
        if (port == null
                || !port.isJsonPrimitive()
                || !port.getAsJsonPrimitive().isNumber()) {
            problems.accept(entry + ": \"Service.Port\" is missing or not a number; skipped");
            return null;
        }
        long number = port.getAsLong();
        if (number < 1 || number > 65535) {
            problems.accept(entry + ": port " + number + " is outside 1-65535; skipped");
            return null;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonObject meta = object(service, "Meta");
        if (meta != null) {
            for (Map.Entry<String, JsonElement> field : meta.entrySet()) {
                if (field.getValue().isJsonPrimitive()) {
                    metadata.put(field.getKey(), field.getValue().getAsString());
                }
            }
        }
        return new ServiceInstance(id, new HostPort(host, (int) number).toString(), metadata);
    }

    private static boolean passing(JsonObject entry) {
        JsonElement checks = entry.get("Checks");
        if (checks == null || !checks.isJsonArray()) {
            return true;
        }
        for (JsonElement check : checks.getAsJsonArray()) {
            if (check.isJsonObject() && !"passing".equals(string(check.getAsJsonObject(), "Status"))) {
                return false;
            }
        }
        return true;
    }

    /** The body of {@code PUT /v1/agent/service/register} for one instance with a TTL check. */
    static String registration(ServiceToRegister service, String id, String checkId, long ttlSeconds) {
        JsonObject check = new JsonObject();
        check.addProperty("CheckID", checkId);
        check.addProperty("Name", "micro network TTL of " + id);
        check.addProperty("TTL", ttlSeconds + "s");
        check.addProperty("Status", "passing");
        check.addProperty("DeregisterCriticalServiceAfter", Math.max(60, 3 * ttlSeconds) + "s");
        JsonObject json = new JsonObject();
        json.addProperty("ID", id);
        json.addProperty("Name", service.name());
        json.addProperty("Address", service.host());
        json.addProperty("Port", service.port());
        json.add("Check", check);
        return json.toString();
    }

    private static JsonElement parse(String body, String where) throws IOException {
        try {
            return JsonParser.parseString(body);
        } catch (JsonParseException e) {
            throw new IOException(where + " answered malformed JSON", e);
        }
    }

    private static JsonObject object(JsonObject json, String field) {
        JsonElement value = json.get(field);
        return value != null && value.isJsonObject() ? value.getAsJsonObject() : null;
    }

    private static String string(JsonObject json, String field) {
        JsonElement value = json.get(field);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }
}
