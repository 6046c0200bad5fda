package network.micro.router.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
 * registry goes away, its routes go with it, and nothing else restarts.
 */
@Component(service = Router.class)
public final class PathVectorRouter implements Router {

    private static final Logger LOG = System.getLogger(PathVectorRouter.class.getName());

    private final String nodeId;
    private final String network;
    private final RouteTable table = new RouteTable();
    private final Map<Registry, Registration> watches = new ConcurrentHashMap<>();
    private final List<Consumer<RouteEvent>> listeners = new CopyOnWriteArrayList<>();

    @Activate
    public PathVectorRouter(BundleContext context) {
        this(NodeProperties.id(context::getProperty), NodeProperties.network(context::getProperty));
    }

    PathVectorRouter(String nodeId, String network) {
        this.nodeId = nodeId;
        this.network = network;
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
        List<Route> routes = LocalRoutes.of(nodeId, network, registry.name(), services);
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
}
