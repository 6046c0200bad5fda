package network.micro.router.internal;

import java.util.ArrayList;
import java.util.List;
import network.micro.api.Route;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;

/** Turns the services of a local registry into routes: one per instance. */
final class LocalRoutes {

    /** The metric of a route that crosses no link. */
    static final long LOCAL_METRIC = 1;

    private LocalRoutes() {}

    static List<Route> of(String nodeId, String network, String registry, List<Service> services) {
        List<Route> routes = new ArrayList<>();
        for (Service service : services) {
            for (ServiceInstance instance : service.instances()) {
                routes.add(new Route(
                        service.name(),
                        instance.address(),
                        "",
                        nodeId,
                        network,
                        LOCAL_METRIC,
                        Route.LOCAL_LINK,
                        List.of(nodeId),
                        registry));
            }
        }
        return routes;
    }
}
