package network.micro.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named service as a registry knows it, with its running instances.
 *
 * @param name the name clients call it by, such as {@code greeter}
 * @param version free-form version label, never null
 * @param metadata free-form labels, never null
 * @param instances the running instances, never null
 */
public record Service(String name, String version, Map<String, String> metadata, List<ServiceInstance> instances) {

    public Service {
        Objects.requireNonNull(name, "name");
        version = version == null ? "" : version;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        instances = instances == null ? List.of() : List.copyOf(instances);
    }
}
