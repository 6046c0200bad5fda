package network.micro.router.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import network.micro.api.Network;
import network.micro.api.NodeProperties;
import network.micro.api.Registration;
import network.micro.api.Registry;
import network.micro.api.Route;
import network.micro.api.RouteEvent;
import network.micro.api.Router;
import network.micro.api.Service;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The node's router. Every registry that comes along is watched, and its services become local routes; when a
 * registry goes away, its routes go with it, and nothing else restarts. Peers' advertisements become remote routes
 * under the path-vector rules of {@link RemoteRoutes}, damped when they flap.
 */
@Component(service = Router.class)
public final class PathVectorRouter implements Router {

    private static final Logger LOG = System.getLogger(PathVectorRouter.class.getName());

    private final String nodeId;
    private final RouteTable table = new RouteTable();
    private final Map<Registry, Registration> watches = new ConcurrentHashMap<>();
    private final List<Consumer<RouteEvent>> listeners = new CopyOnWriteArrayList<>();
    private final RemoteRoutes remote;
    private final FlapDamping damping;
    /** What each peer advertised, by destination, before the link's cost and path were added. Guarded by this. */
    private final Map<String, Map<String, Route>> advertisedBy = new HashMap<>();
    /** The link cost each peer's routes were last learned with. Guarded by this. */
    private final Map<String, Long> linkCosts = new HashMap<>();

    @Activate
    public PathVectorRouter(BundleContext context) {
        this(NodeProperties.id(context::getProperty), NodeProperties.network(context::getProperty), System::nanoTime);
    }

    PathVectorRouter(String nodeId, String network, LongSupplier nanoTime) {
        this.nodeId = nodeId;
        this.remote = new RemoteRoutes(nodeId, network);
        this.damping = new FlapDamping(nanoTime);
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addRegistry(Registry registry) {
        LOG.log(Level.INFO, "node {0}: registry {1} added", nodeId, registry.name());
        // The registry calls back once from within watch(): the entry must be present before.
        watches.put(registry, () -> {});
        Registration watch = registry.watch(services -> onServices(registry, services));
        if (watches.replace(registry, watch) == null) {
            watch.close();
        }
    }

    void removeRegistry(Registry registry) {
        Registration watch = watches.remove(registry);
        if (watch != null) {
            watch.close();
        }
        List<RouteEvent> events;
        synchronized (this) {
            events = table.remove(registry);
            publish(events);
        }
        LOG.log(Level.INFO, "node {0}: registry {1} removed with {2} routes", nodeId, registry.name(), events.size());
    }

    @Deactivate
    void deactivate() {
        watches.values().forEach(Registration::close);
        watches.clear();
    }

    private void onServices(Registry registry, List<Service> services) {
        if (!watches.containsKey(registry)) {
            return;
        }
        List<Route> routes = LocalRoutes.of(nodeId, remote.network(), registry.name(), services);
        synchronized (this) {
            publish(table.replace(registry, routes));
        }
    }

    private void publish(List<RouteEvent> events) {
        for (RouteEvent event : events) {
            LOG.log(
                    Level.DEBUG,
                    "node {0}: route {1} {2} at {3} via {4}",
                    nodeId,
                    event.type(),
                    event.route().service(),
                    event.route().address(),
                    event.route().link());
            for (Consumer<RouteEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "node " + nodeId + ": route listener failed", e);
                }
            }
        }
    }

    @Override
    public synchronized List<Route> routes() {
        return table.routes();
    }

    @Override
    public synchronized List<Route> lookup(String service) {
        return table.lookup(service);
    }

    @Override
    public Registration watch(Consumer<RouteEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public synchronized List<Route> advertised() {
        Map<String, Route> best = new LinkedHashMap<>();
        for (Route route : table.routes()) {
            // routes() lists each service best first, so the first route to a destination is its best.
            if (route.hops() < Network.MAX_HOPS) {
                best.putIfAbsent(RemoteRoutes.destination(route), route);
            }
        }
        return List.copyOf(best.values());
    }

    @Override
    public synchronized void learn(String peer, long linkCost, List<Route> routes) {
        checkCost(linkCost);
        Map<String, Route> next = new LinkedHashMap<>();
        for (Route route : routes) {
            if (remote.accepts(peer, route)) {
                next.put(RemoteRoutes.destination(route), route);
            }
        }
        Map<String, Route> previous = advertisedBy.getOrDefault(peer, Map.of());
        for (Map.Entry<String, Route> old : previous.entrySet()) {
            if (isFlap(old.getValue(), next.get(old.getKey()))) {
                damping.flap(peer + '\n' + old.getKey());
            }
        }
        advertisedBy.put(peer, next);
        linkCosts.put(peer, linkCost);
        rebuild(peer);
        damping.prune();
    }

    @Override
    public synchronized void update(String peer, long linkCost, List<RouteEvent> events) {
        checkCost(linkCost);
        Map<String, Route> routes = advertisedBy.computeIfAbsent(peer, p -> new LinkedHashMap<>());
        for (RouteEvent event : events) {
            Route route = event.route();
            String destination = RemoteRoutes.destination(route);
            if (event.type() == RouteEvent.Type.DELETE) {
                if (routes.remove(destination) != null) {
                    damping.flap(peer + '\n' + destination);
                }
            } else if (remote.accepts(peer, route)) {
                Route old = routes.put(destination, route);
                if (old != null && isFlap(old, route)) {
                    damping.flap(peer + '\n' + destination);
                }
            } else if (routes.remove(destination) != null) {
                // The peer's way to the instance now runs through this node, or too far: the old one is gone.
                damping.flap(peer + '\n' + destination);
            }
        }
        linkCosts.put(peer, linkCost);
        rebuild(peer);
    }

    @Override
    public synchronized void forget(String peer) {
        advertisedBy.remove(peer);
        linkCosts.remove(peer);
        List<RouteEvent> events = table.remove(peer);
        publish(events);
        if (!events.isEmpty()) {
            LOG.log(Level.INFO, "node {0}: withdrew {1} routes through peer {2}", nodeId, events.size(), peer);
        }
    }

    /** A withdrawal or a new way to the instance is a flap; a new metric alone is not, since RTTs wander. */
    private static boolean isFlap(Route old, Route now) {
        return now == null || !now.path().equals(old.path());
    }

    /** Derives the routes through {@code peer} from what it advertised, and applies the difference. */
    private void rebuild(String peer) {
        long cost = linkCosts.get(peer);
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, Route> entry : advertisedBy.get(peer).entrySet()) {
            if (!damping.isSuppressed(peer + '\n' + entry.getKey())) {
                routes.add(remote.viaPeer(peer, cost, entry.getValue()));
            } else {
                LOG.log(
                        Level.DEBUG,
                        "node {0}: route to {1} through {2} is damped",
                        nodeId,
                        entry.getValue().service(),
                        peer);
            }
        }
        publish(table.replace(peer, routes));
    }

    private static void checkCost(long linkCost) {
        if (linkCost < 1) {
            throw new IllegalArgumentException("link cost must be at least 1, was " + linkCost);
        }
    }
}
