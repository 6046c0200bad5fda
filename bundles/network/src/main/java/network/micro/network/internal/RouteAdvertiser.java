package network.micro.network.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import network.micro.api.Route;
import network.micro.api.RouteEvent;

/**
 * Works out what each peer must be told of this node's routes. It remembers what it last sent every peer, so that an
 * advert carries only the difference, and leaves out the routes a peer would drop anyway: those whose path already
 * runs through it.
 *
 * <p>Not thread-safe: its owner serialises access.
 */
final class RouteAdvertiser {

    private final Map<String, Map<String, Route>> sent = new HashMap<>();

    /** Everything {@code peer} should hold from this node now; remembered as sent. */
    List<Route> full(String peer, List<Route> advertised) {
        Map<String, Route> offer = offer(peer, advertised);
        sent.put(peer, offer);
        return List.copyOf(offer.values());
    }

    /** What changed for {@code peer} since it was last told; remembered as sent. */
    List<RouteEvent> changes(String peer, List<Route> advertised) {
        Map<String, Route> offer = offer(peer, advertised);
        Map<String, Route> before = sent.getOrDefault(peer, Map.of());
        List<RouteEvent> events = new ArrayList<>();
        for (Map.Entry<String, Route> entry : offer.entrySet()) {
            Route old = before.get(entry.getKey());
            if (old == null) {
                events.add(new RouteEvent(RouteEvent.Type.CREATE, entry.getValue()));
            } else if (!old.equals(entry.getValue())) {
                events.add(new RouteEvent(RouteEvent.Type.UPDATE, entry.getValue()));
            }
        }
        for (Map.Entry<String, Route> entry : before.entrySet()) {
            if (!offer.containsKey(entry.getKey())) {
                events.add(new RouteEvent(RouteEvent.Type.DELETE, entry.getValue()));
            }
        }
        sent.put(peer, offer);
        return events;
    }

    void forget(String peer) {
        sent.remove(peer);
    }

    private static Map<String, Route> offer(String peer, List<Route> advertised) {
        Map<String, Route> offer = new LinkedHashMap<>();
        for (Route route : advertised) {
            if (!route.path().contains(peer)) {
                offer.put(route.service() + '\n' + route.address() + '\n' + route.router(), route);
            }
        }
        return offer;
    }
}
