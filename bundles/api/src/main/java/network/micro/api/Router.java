package network.micro.api;

import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/** The node's routing table, built from its registries and, once linked, from its peers' advertisements. */
@ProviderType
public interface Router {

    /** Every route in the table, sorted by service, then best first. */
    List<Route> routes();

    /**
     * The usable routes to {@code service}, best first: local routes, then remote routes by rising metric. Empty
     * when the service is unknown.
     */
    List<Route> lookup(String service);

    /** Calls {@code listener} after every change of the table until the registration is closed. */
    Registration watch(Consumer<RouteEvent> listener);

    /**
     * The routes this node offers its peers: the best usable route to each instance, local or remote. A route that
     * already crosses {@link Network#MAX_HOPS} links is not offered, since no peer could use it.
     */
    List<Route> advertised();

    /**
     * Replaces everything learned from {@code peer} with {@code routes}, as the peer advertised them. Each route is
     * checked: one whose path holds this node or would exceed {@link Network#MAX_HOPS} links is dropped. What is
     * kept gets the peer as gateway, this node appended to its path and {@code linkCost} added to its metric.
     *
     * @param peer the id of the peer that sent the routes
     * @param linkCost the cost of the link to the peer, at least 1
     * @param routes the peer's advertised routes, as in its {@link #advertised()}
     */
    void learn(String peer, long linkCost, List<Route> routes);

    /**
     * Applies changes advertised by {@code peer}, with the same checks as {@link #learn}: a create or update adds
     * or replaces the route to that instance through the peer, a delete withdraws it.
     */
    void update(String peer, long linkCost, List<RouteEvent> events);

    /** Withdraws every route learned from {@code peer}, whose link went down. */
    void forget(String peer);
}
