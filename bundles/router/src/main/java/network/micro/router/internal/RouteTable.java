package network.micro.router.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import network.micro.api.Route;
import network.micro.api.RouteEvent;

/**
 * The routes of a node, grouped by the source that supplied them: a registry for local routes, a peer for remote
 * ones. Each update replaces everything one source said before and reports the difference as events.
 *
 * <p>Not thread-safe: its owner serialises access.
 */
final class RouteTable {

    /** Local routes first, then lower metric, then fewer hops; address last, to keep the order stable. */
    static final Comparator<Route> BEST_FIRST = Comparator.comparing((Route route) -> !route.isLocal())
            .thenComparingLong(Route::metric)
            .thenComparingInt(Route::hops)
            .thenComparing(Route::address)
            .thenComparing(Route::gateway);

    private static final Comparator<Route> BY_SERVICE =
            Comparator.comparing(Route::service).thenComparing(BEST_FIRST);

    private final Map<Object, Map<String, Route>> bySource = new HashMap<>();

    /** Replaces the routes of {@code source} with {@code routes}, and returns what changed. */
    List<RouteEvent> replace(Object source, Collection<Route> routes) {
        Objects.requireNonNull(source, "source");
        Map<String, Route> next = new LinkedHashMap<>();
        for (Route route : routes) {
            next.put(key(route), route);
        }
        Map<String, Route> previous = bySource.getOrDefault(source, Map.of());
        List<RouteEvent> events = new ArrayList<>();
        for (Route route : next.values()) {
            Route old = previous.get(key(route));
            if (old == null) {
                events.add(new RouteEvent(RouteEvent.Type.CREATE, route));
            } else if (!old.equals(route)) {
                events.add(new RouteEvent(RouteEvent.Type.UPDATE, route));
            }
        }
        for (Map.Entry<String, Route> entry : previous.entrySet()) {
            if (!next.containsKey(entry.getKey())) {
                events.add(new RouteEvent(RouteEvent.Type.DELETE, entry.getValue()));
            }
        }

        if (next.isEmpty()) {
            bySource.remove(source);
        } else {
            bySource.put(source, next);
        }
        return events;
    }

    /** Forgets every route of {@code source}, and returns their deletions. */
    List<RouteEvent> remove(Object source) {
        return replace(source, List.of());
    }

    /** Every route, sorted by service, then best first. */
    List<Route> routes() {
        List<Route> all = new ArrayList<>();
        bySource.values().forEach(routes -> all.addAll(routes.values()));
        all.sort(BY_SERVICE);
        return all;
    }

    /** The routes to {@code service}, best first. */
    List<Route> lookup(String service) {
        List<Route> found = new ArrayList<>();
        for (Map<String, Route> routes : bySource.values()) {
            for (Route route : routes.values()) {
                if (route.service().equals(service)) {
                    found.add(route);
                }
            }
        }
        found.sort(BEST_FIRST);
        return found;
    }

    private static String key(Route route) {
        return route.service() + '\n' + route.address() + '\n' + route.router() + '\n' + route.gateway();
    }
}
