package network.micro.api;

import java.util.Map;
import java.util.Objects;

/**
 * One running copy of a service, reachable at {@code address}.
 *
 * @param id unique among the instances of its service
 * @param address {@code host:port} the node dials to reach the instance
 * @param metadata free-form labels, never null
 */
public record ServiceInstance(String id, String address, Map<String, String> metadata) {

    public ServiceInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
