package network.micro.api;

import java.util.Objects;

/**
 * A change of the routing table.
 *
 * @param type what happened to the route
 * @param route the route as it is now, or as it was before a delete
 */
public record RouteEvent(Type type, Route route) {

    /** The kinds of change. */
    public enum Type {
        CREATE,
        UPDATE,
        DELETE
    }

    public RouteEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(route, "route");
    }
}
