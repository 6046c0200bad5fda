package network.micro.api;

import java.util.List;
import java.util.Objects;

/**
 * A way to reach one instance of a service.
 *
 * <p>A local route is made by a node from its own registry: its gateway is empty, its router is the node itself,
 * its link is {@value #LOCAL_LINK} and its path holds only the node. A remote route was learned from a peer: its
 * gateway is the peer to relay through, its router is the node whose registry holds the instance, and its path
 * lists the node ids the advertisement passed through, the router first.
 *
 * @param service the service name
 * @param address {@code host:port} of the instance, as its router dials it
 * @param gateway id of the next-hop node, empty for a local route
 * @param router id of the node whose registry holds the instance
 * @param network the network the route belongs to
 * @param metric the cost of the route; lower is better, never below 1
 * @param link {@value #LOCAL_LINK}, or the id of the link to the gateway
 * @param path node ids from the router to the node holding this route
 * @param registry the name of the registry the route came from at its router
 */
public record Route(
        String service,
        String address,
        String gateway,
        String router,
        String network,
        long metric,
        String link,
        List<String> path,
        String registry) {

    /** The link name of routes to instances in this node's own registry. */
    public static final String LOCAL_LINK = "local";

    public Route {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(router, "router");
        gateway = gateway == null ? "" : gateway;
        network = network == null ? "" : network;
        link = link == null ? LOCAL_LINK : link;
        path = path == null ? List.of(router) : List.copyOf(path);
        registry = registry == null ? "" : registry;
        if (metric < 1) {
            throw new IllegalArgumentException("metric must be at least 1, was " + metric);
        }
    }

    /** Whether this route leads to an instance of the node's own registry. */
    public boolean isLocal() {
        return LOCAL_LINK.equals(link);
    }

    /** How many links the route crosses. */
    public int hops() {
        return path.size() - 1;
    }
}
