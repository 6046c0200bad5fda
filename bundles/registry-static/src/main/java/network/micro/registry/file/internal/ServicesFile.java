package network.micro.registry.file.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;

/**
 * Reads the services file: a JSON object whose {@code services} array lists each service with its name, version,
 * metadata and instances. Everything is checked before anything is returned, so a file is taken whole or not at
 * all.
 *
 * <pre>{@code
 * {"services": [{"name": "greeter", "version": "1.0.0", "metadata": {"team": "web"},
 *   "instances": [{"id": "greeter-1", "address": "127.0.0.1:9090", "metadata": {}}]}]}
 * }</pre>
 */
final class ServicesFile {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    private final String fileName;

    private ServicesFile(String fileName) {
        this.fileName = fileName;
    }

    /** Parses {@code text}; {@code fileName} only names the file in errors. */
    static List<Service> parse(String fileName, String text) throws ServicesFileException {
        return new ServicesFile(fileName).parse(text);
    }

    private List<Service> parse(String text) throws ServicesFileException {
        JsonObject root = object(readJson(text), "the top level");
        JsonArray entries = array(root.get("services"), "the top level: \"services\"");
        List<Service> services = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Service service = service(entries.get(i), "services[" + i + "]");
            if (!names.add(service.name())) {
                throw error("services[" + i + "]: service \"" + service.name() + "\" is declared twice");
            }
            services.add(service);
        }
        return services;
    }

    private JsonElement readJson(String text) throws ServicesFileException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement element = JsonParser.parseReader(reader);
            if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw error("unexpected text after the JSON document at " + location(reader));
            }
            return element;
        } catch (JsonParseException | IOException e) {
            throw error(syntaxMessage(e));
        }
    }

    private Service service(JsonElement element, String entry) throws ServicesFileException {
        JsonObject json = object(element, entry);
        String name = name(json, entry);
        String where = entry + " \"" + name + "\"";
        String version = optionalString(json, "version", where);
        Map<String, String> metadata = metadata(json.get("metadata"), where);
        JsonArray list =
                json.has("instances") ? array(json.get("instances"), where + ": \"instances\"") : new JsonArray();
        List<ServiceInstance> instances = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ServiceInstance instance = instance(list.get(i), where + ": instances[" + i + "]");
            if (!ids.add(instance.id())) {
                throw error(where + ": instance id \"" + instance.id() + "\" is used twice");
            }
            instances.add(instance);
        }
        return new Service(name, version, metadata, instances);
    }

    private ServiceInstance instance(JsonElement element, String entry) throws ServicesFileException {
        JsonObject json = object(element, entry);
        String id = requiredString(json, "id", entry);
        String address = requiredString(json, "address", entry);
        checkAddress(address, entry);
        return new ServiceInstance(id, address, metadata(json.get("metadata"), entry));
    }

    private String name(JsonObject json, String entry) throws ServicesFileException {
        String name = requiredString(json, "name", entry);
        if (!NAME.matcher(name).matches()) {
            throw error(entry + ": name \"" + name + "\" is not a service name (letters, digits, '.', '_', '-')");
        }
        return name;
    }

    private void checkAddress(String address, String entry) throws ServicesFileException {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw error(entry + ": address \"" + address + "\" is not host:port");
        }
        String port = address.substring(colon + 1);
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw error(entry + ": address \"" + address + "\" has no numeric port");
        }
        if (number < 1 || number > 65535) {
            throw error(entry + ": address \"" + address + "\" has port " + number + ", outside 1-65535");
        }
    }

    private Map<String, String> metadata(JsonElement element, String entry) throws ServicesFileException {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (element == null || element.isJsonNull()) {
            return metadata;
        }
        for (Map.Entry<String, JsonElement> field :
                object(element, entry + ": \"metadata\"").entrySet()) {
            JsonElement value = field.getValue();
            if (!value.isJsonPrimitive()) {
                throw error(entry + ": metadata \"" + field.getKey() + "\" is not a string, number or boolean");
            }
            metadata.put(field.getKey(), value.getAsString());
        }
        return metadata;
    }

    private String requiredString(JsonObject json, String field, String entry) throws ServicesFileException {
        String value = optionalString(json, field, entry);
        if (value.isBlank()) {
            throw error(entry + ": \"" + field + "\" is missing or empty");
        }
        return value;
    }

    private String optionalString(JsonObject json, String field, String entry) throws ServicesFileException {
        JsonElement value = json.get(field);
        if (value == null || value.isJsonNull()) {
            return "";
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw error(entry + ": \"" + field + "\" is not a string");
        }
        return value.getAsString();
    }

    private JsonObject object(JsonElement element, String entry) throws ServicesFileException {
        if (element == null || !element.isJsonObject()) {
            throw error(entry + " is not a JSON object");
        }
        return element.getAsJsonObject();
    }

    private JsonArray array(JsonElement element, String entry) throws ServicesFileException {
        if (element == null || !element.isJsonArray()) {
            throw error(entry + " is not a JSON array");
        }
        return element.getAsJsonArray();
    }

    private ServicesFileException error(String detail) {
        return new ServicesFileException(fileName + ": " + detail);
    }

    /** Gson's message without the cause's class name and the trailing link to its documentation. */
    private static String syntaxMessage(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = String.valueOf(cause.getMessage());
        int newline = message.indexOf('\n');
        return "malformed JSON: " + (newline < 0 ? message : message.substring(0, newline));
    }

    private static String location(JsonReader reader) {
        String description = reader.toString();
        int at = description.indexOf(" at ");
        return at < 0 ? description : description.substring(at + 4);
    }
}
