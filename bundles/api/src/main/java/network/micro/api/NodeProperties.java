package network.micro.api;

import java.util.function.UnaryOperator;

/**
 * The framework properties that fix a node's identity for the life of its process. The launcher sets them; every
 * bundle that needs the node's id or network reads them through {@link #id} and {@link #network}.
 */
public final class NodeProperties {

    /** The node's unique id. */
    public static final String ID = "micro.network.id";

    /** The name of the network the node belongs to. */
    public static final String NETWORK = "micro.network.name";

    /** The folder the distribution was unpacked into; relative paths in configuration resolve against it. */
    public static final String HOME = "micro.home";

    /** The address the node listens on for links, {@code host:port} or {@code :port}. */
    public static final String ADDRESS = "micro.network.address";

    /** The address peers should dial to reach the node, when it differs from the one it listens on. */
    public static final String ADVERTISE = "micro.network.advertise";

    /** Comma-separated {@code host:port} of the nodes to join. */
    public static final String NODES = "micro.network.nodes";

    /** The secret every node of the network holds. */
    public static final String TOKEN = "micro.network.token";

    /** The address of the proxy listener, {@code host:port}. */
    public static final String PROXY_ADDRESS = "micro.proxy.address";

    /** Comma-separated names of the registries the node reads its local services from. */
    public static final String REGISTRY = "micro.registry";

    /**
     * Where the registry is: a host and port for Consul or etcd, the services file for the static registry. Empty
     * leaves each registry to its own configuration.
     */
    public static final String REGISTRY_ADDRESS = "micro.registry.address";

    /** The network a node joins when none is named. */
    public static final String DEFAULT_NETWORK = "go.micro";

    /** The token of an open network, which any node may join. */
    public static final String DEFAULT_TOKEN = "go.micro.tunnel";

    /** The link address when none is given. */
    public static final String DEFAULT_ADDRESS = ":8085";

    /** The proxy address when none is given: loopback, so nothing is exposed unless asked. */
    public static final String DEFAULT_PROXY_ADDRESS = "127.0.0.1:8081";

    private NodeProperties() {}

    /** The node id, from {@code properties} (such as {@code BundleContext::getProperty}). */
    public static String id(UnaryOperator<String> properties) {
        String id = properties.apply(ID);
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("framework property " + ID + " is not set");
        }
        return id;
    }

    /** The property {@code name} from {@code properties}, or {@code fallback} when unset or blank. */
    public static String get(UnaryOperator<String> properties, String name, String fallback) {
        String value = properties.apply(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The network name, from {@code properties}, or {@value #DEFAULT_NETWORK}. */
    public static String network(UnaryOperator<String> properties) {
        return get(properties, NETWORK, DEFAULT_NETWORK);
    }
}
