package network.micro.router.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import network.micro.api.Route;
import network.micro.api.RouteEvent;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;
import org.junit.Test;

public class RouteTableTest {

    private final RouteTable table = new RouteTable();

    @Test
    public void oneLocalRoutePerInstance() {
        List<Route> routes =
                LocalRoutes.of("node-a", "go.micro", "static", List.of(greeter("10.0.0.1:80", "10.0.0.2:80")));

        assertEquals(2, routes.size());
        Route route = routes.get(0);
        assertEquals("greeter", route.service());
        assertEquals("10.0.0.1:80", route.address());
        assertEquals("", route.gateway());
        assertEquals("node-a", route.router());
        assertEquals("go.micro", route.network());
        assertEquals(1, route.metric());
        assertTrue(route.isLocal());
        assertEquals(List.of("node-a"), route.path());
        assertEquals("static", route.registry());
    }

    @Test
    public void replacingReportsCreatesUpdatesAndDeletes() {
        Route kept = local("greeter", "10.0.0.1:80");
        Route dropped = local("greeter", "10.0.0.2:80");
        table.replace("static", List.of(kept, dropped));

        Route changed = new Route("greeter", "10.0.0.1:80", "", "node-a", "other", 1, "local", null, "static");
        Route added = local("echo", "10.0.0.3:7");
        List<RouteEvent> events = table.replace("static", List.of(changed, added));

        assertEquals(
                List.of(
                        new RouteEvent(RouteEvent.Type.UPDATE, changed),
                        new RouteEvent(RouteEvent.Type.CREATE, added),
                        new RouteEvent(RouteEvent.Type.DELETE, dropped)),
                events);
        assertEquals(List.of(added, changed), table.routes());
    }

    @Test
    public void replacingWithTheSameRoutesReportsNothing() {
        table.replace("static", List.of(local("greeter", "10.0.0.1:80")));

        assertEquals(List.of(), table.replace("static", List.of(local("greeter", "10.0.0.1:80"))));
    }

    @Test
    public void removingASourceDeletesOnlyItsRoutes() {
        Route fromFile = local("greeter", "10.0.0.1:80");
        Route fromMdns = local("greeter", "10.0.0.2:80");
        table.replace("static", List.of(fromFile));
        table.replace("mdns", List.of(fromMdns));

        List<RouteEvent> events = table.remove("static");

        assertEquals(List.of(new RouteEvent(RouteEvent.Type.DELETE, fromFile)), events);
        assertEquals(List.of(fromMdns), table.routes());
        assertEquals(List.of(), table.remove("static"));
    }

    @Test
    public void lookupPutsLocalRoutesFirstThenLowerMetrics() {
        Route far = remote("greeter", "10.0.0.9:80", 30);
        Route near = remote("greeter", "10.0.0.8:80", 10);
        Route local = local("greeter", "10.0.0.1:80");
        table.replace("peer-b", List.of(far, near));
        table.replace("static", List.of(local, local("echo", "10.0.0.1:7")));

        assertEquals(List.of(local, near, far), table.lookup("greeter"));
        assertEquals(List.of(), table.lookup("unknown"));
    }

    @Test
    public void routesAreSortedByServiceThenBestFirst() {
        Route b = local("b-service", "10.0.0.1:2");
        Route aRemote = remote("a-service", "10.0.0.5:1", 5);
        Route aLocal = local("a-service", "10.0.0.1:1");
        table.replace("peer-b", List.of(aRemote));
        table.replace("static", List.of(b, aLocal));

        assertEquals(List.of(aLocal, aRemote, b), table.routes());
    }

    @Test(expected = IllegalArgumentException.class)
    public void aRouteMetricBelowOneIsRefused() {
        new Route("greeter", "10.0.0.1:80", "", "node-a", "go.micro", 0, "local", null, "static");
    }

    private static Service greeter(String... addresses) {
        List<ServiceInstance> instances = java.util.Arrays.stream(addresses)
                .map(address -> new ServiceInstance("greeter-" + address, address, Map.of()))
                .toList();
        return new Service("greeter", "1.0.0", Map.of(), instances);
    }

    private static Route local(String service, String address) {
        return new Route(service, address, "", "node-a", "go.micro", 1, "local", null, "static");
    }

    private static Route remote(String service, String address, long metric) {
        return new Route(
                service, address, "node-b", "node-c", "go.micro", metric, "link-b", List.of("node-c", "node-b"), "");
    }
}
