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

    /** The network a node joins when none is named. */
    public static final String DEFAULT_NETWORK = "go.micro";

    private NodeProperties() {}

    /** The node id, from {@code properties} (such as {@code BundleContext::getProperty}). */
    public static String id(UnaryOperator<String> properties) {
        String id = properties.apply(ID);
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("framework property " + ID + " is not set");
        }
        return id;
    }

    /** The network name, from {@code properties}, or {@value #DEFAULT_NETWORK}. */
    public static String network(UnaryOperator<String> properties) {
        String network = properties.apply(NETWORK);
        return network == null || network.isBlank() ? DEFAULT_NETWORK : network;
    }
}
