package network.micro.itests.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import network.micro.itests.RunningNode;

/** The services file of a node, naming real instances: service name to {@code host:port} addresses. */
final class Services {

    private final Map<String, List<String>> instances = new LinkedHashMap<>();

    Services with(String service, String... addresses) {
        instances.put(service, List.of(addresses));
        return this;
    }

    Services without(String service) {
        instances.remove(service);
        return this;
    }

    /** Replaces the node's services file at once (atomic move); the node reads it again within a second. */
    void writeTo(RunningNode node) throws IOException {
        StringBuilder json = new StringBuilder("{\"services\": [");
        String comma = "";
        for (Map.Entry<String, List<String>> service : instances.entrySet()) {
            json.append(comma).append("{\"name\": \"").append(service.getKey()).append("\", \"instances\": [");
            List<String> addresses = service.getValue();
            for (int i = 0; i < addresses.size(); i++) {
                json.append(i == 0 ? "" : ", ")
                        .append("{\"id\": \"")
                        .append(node.id)
                        .append('-')
                        .append(service.getKey())
                        .append('-')
                        .append(i + 1)
                        .append("\", \"address\": \"")
                        .append(addresses.get(i))
                        .append("\"}");
            }
            json.append("]}");
            comma = ", ";
        }
        Path file = node.micro().home().resolve("conf/services.json");
        Path temporary = file.resolveSibling("services.json.tmp");
        Files.writeString(temporary, json.append("]}\n"), StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
