package network.micro.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import network.micro.api.HostPort;
import network.micro.api.NodeProperties;

/**
 * What {@code micro network} was told, checked, as the framework properties every bundle reads.
 *
 * @param properties the framework properties of {@link NodeProperties}
 * @param address the link address
 * @param proxyAddress the proxy address
 * @param registries the registry adapters to start, by name
 * @param console whether to open the Gogo prompt
 */
record NodeSettings(
        Map<String, String> properties,
        HostPort address,
        HostPort proxyAddress,
        List<String> registries,
        boolean console) {

    /** The registries this build ships, each a bundle {@code bundle/registry/network.micro.registry.NAME.jar}. */
    static final List<String> REGISTRIES = List.of("static", "mdns", "consul", "etcd");

    static NodeSettings of(Flags flags) throws UsageException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(NodeProperties.ID, flags.get("id", UUID.randomUUID().toString()));
        properties.put(NodeProperties.NETWORK, flags.get("network", NodeProperties.DEFAULT_NETWORK));
        properties.put(NodeProperties.TOKEN, flags.get("token", NodeProperties.DEFAULT_TOKEN));
        HostPort address = address(flags, "address", NodeProperties.DEFAULT_ADDRESS);
        HostPort proxy = address(flags, "proxy-address", NodeProperties.DEFAULT_PROXY_ADDRESS);
        properties.put(NodeProperties.ADDRESS, address.toString());
        properties.put(NodeProperties.PROXY_ADDRESS, proxy.toString());
        String advertise = flags.get("advertise", "");
        if (!advertise.isEmpty()) {
            properties.put(
                    NodeProperties.ADVERTISE, checked("advertise", advertise).toString());
        }
        String nodes = flags.get("nodes", "");
        for (String node : nodes.split(",")) {
            if (!node.isBlank()) {
                checked("nodes", node);
            }
        }
        properties.put(NodeProperties.NODES, nodes);
        String registry = flags.get("registry", "static");
        List<String> registries = new ArrayList<>();
        for (String name : registry.split(",")) {
            if (!REGISTRIES.contains(name.trim())) {
                throw new UsageException(
                        "unknown registry " + name.trim() + "; this build has: " + String.join(", ", REGISTRIES));
            }
            if (!registries.contains(name.trim())) {
                registries.add(name.trim());
            }
        }
        properties.put(NodeProperties.REGISTRY, registry);
        String registryAddress = flags.get("registry-address", "");
        if (!registryAddress.isEmpty()) {
            if (registries.size() != 1) {
                throw new UsageException("--registry-address needs exactly one --registry; configure several in conf/");
            }
            properties.put(NodeProperties.REGISTRY_ADDRESS, registryAddress);
        }
        return new NodeSettings(properties, address, proxy, List.copyOf(registries), flags.isSet("console"));
    }

    private static HostPort address(Flags flags, String flag, String fallback) throws UsageException {
        return checked(flag, flags.get(flag, fallback));
    }

    private static HostPort checked(String flag, String value) throws UsageException {
        try {
            return HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + flag + ": " + e.getMessage());
        }
    }
}
