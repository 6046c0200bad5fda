package network.micro.router.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import network.micro.api.Registration;
import network.micro.api.Registry;
import network.micro.api.Route;
import network.micro.api.RouteEvent;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;
import org.junit.Test;

/** The route exchange: path rules, metrics, withdrawal and damping, between routers wired by hand. */
public class PathVectorTest {

    private long now;
    private final PathVectorRouter a = router("a");

    @Test
    public void aLearnedRouteGoesThroughThePeerAndCostsTheLink() {
        a.learn("b", 5, List.of(local("b", "greeter", "10.0.0.2:80")));

        Route route = a.lookup("greeter").get(0);
        assertEquals("b", route.gateway());
        assertEquals("b", route.router());
        assertEquals(6, route.metric());
        assertEquals(List.of("b", "a"), route.path());
        assertEquals("network", route.link());
        assertEquals(1, route.hops());
    }

    @Test
    public void metricsGrowWithEveryHopAlongAChain() {
        PathVectorRouter b = router("b");
        PathVectorRouter c = router("c");
        PathVectorRouter d = router("d");
        Registry registry = registry(service("greeter", "10.0.0.1:80"));
        a.addRegistry(registry);

        b.learn("a", 2, a.advertised());
        c.learn("b", 2, b.advertised());
        d.learn("c", 2, c.advertised());

        Route atD = d.lookup("greeter").get(0);
        assertEquals("c", atD.gateway());
        assertEquals("a", atD.router());
        assertEquals(List.of("a", "b", "c", "d"), atD.path());
        assertTrue(atD.metric() > c.lookup("greeter").get(0).metric());
        assertTrue(
                c.lookup("greeter").get(0).metric() > b.lookup("greeter").get(0).metric());
        assertEquals(7, atD.metric());
        assertEquals("three hops is the limit: d offers nothing further", List.of(), d.advertised());
    }

    @Test
    public void aRouteThatWouldExceedThreeHopsIsDropped() {
        a.learn("d", 1, List.of(remote("greeter", "x", "y", "z", "d")));
        assertEquals(List.of(), a.routes());

        a.learn("z", 1, List.of(remote("greeter", "x", "y", "z")));
        assertEquals(3, a.routes().get(0).hops());
    }

    @Test
    public void aRouteWhosePathHoldsThisNodeIsDropped() {
        a.learn("c", 1, List.of(remote("greeter", "b", "a", "c")));

        assertEquals(List.of(), a.routes());
    }

    @Test
    public void malformedAdvertisementsAreRefusedAndTheRestKept() {
        Route good = local("b", "echo", "10.0.0.2:7");
        Route notEndingAtPeer = remote("greeter", "x", "y");
        Route loop =
                new Route("greeter", "10.0.0.9:1", "", "x", "go.micro", 3, "network", List.of("x", "y", "x", "b"), "");
        Route otherNetwork = new Route("greeter", "10.0.0.9:1", "", "b", "other", 1, "local", List.of("b"), "");
        Route notStartingAtRouter =
                new Route("greeter", "10.0.0.9:1", "", "x", "go.micro", 1, "network", List.of("y", "b"), "");

        a.learn("b", 1, List.of(notEndingAtPeer, loop, otherNetwork, notStartingAtRouter, good));

        assertEquals(List.of("echo"), a.routes().stream().map(Route::service).toList());
    }

    @Test
    public void updatesCreateAndWithdrawRoutes() {
        Route greeter = local("b", "greeter", "10.0.0.2:80");
        a.update("b", 1, List.of(new RouteEvent(RouteEvent.Type.CREATE, greeter)));
        assertEquals(1, a.lookup("greeter").size());

        a.update("b", 1, List.of(new RouteEvent(RouteEvent.Type.DELETE, greeter)));
        assertEquals(List.of(), a.lookup("greeter"));
    }

    @Test
    public void forgettingAPeerWithdrawsEveryRouteThroughIt() {
        a.learn("b", 1, List.of(local("b", "greeter", "10.0.0.2:80"), local("b", "echo", "10.0.0.2:7")));
        a.learn("c", 1, List.of(local("c", "echo", "10.0.0.3:7")));
        List<RouteEvent> events = new ArrayList<>();
        a.watch(events::add);

        a.forget("b");

        assertEquals(2, events.size());
        assertTrue(events.stream().allMatch(e -> e.type() == RouteEvent.Type.DELETE));
        assertEquals(List.of("c"), a.routes().stream().map(Route::gateway).toList());
    }

    @Test
    public void localRoutesWinOverCheaperLookingRemoteOnes() {
        a.addRegistry(registry(service("greeter", "127.0.0.1:80")));
        a.learn("b", 1, List.of(local("b", "greeter", "10.0.0.2:80")));

        List<Route> routes = a.lookup("greeter");
        assertTrue(routes.get(0).isLocal());
        assertEquals("b", routes.get(1).gateway());
    }

    @Test
    public void theBestRouteToEachInstanceIsAdvertised() {
        a.learn("b", 1, List.of(remote("greeter", "x", "b")));
        a.learn("c", 9, List.of(remote("greeter", "x", "c")));

        List<Route> advertised = a.advertised();
        assertEquals(1, advertised.size());
        assertEquals("b", advertised.get(0).gateway());
    }

    @Test
    public void aFlappingRouteIsDampedUntilItsPenaltyDecays() {
        Route greeter = local("b", "greeter", "10.0.0.2:80");
        for (int i = 0; i < 4; i++) {
            a.learn("b", 1, List.of(greeter));
            a.learn("b", 1, List.of());
        }

        a.learn("b", 1, List.of(greeter));
        assertEquals("suppressed after four flaps", List.of(), a.routes());

        now += TimeUnit.SECONDS.toNanos(60);
        a.learn("b", 1, List.of(greeter));
        assertEquals(1, a.routes().size());
    }

    @Test
    public void aSingleWithdrawalIsNotDamped() {
        Route greeter = local("b", "greeter", "10.0.0.2:80");
        a.learn("b", 1, List.of(greeter));
        a.learn("b", 1, List.of());

        a.learn("b", 1, List.of(greeter));

        assertEquals(1, a.routes().size());
    }

    @Test
    public void aLinkCostBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> a.learn("b", 0, List.of()));
    }

    private PathVectorRouter router(String id) {
        return new PathVectorRouter(id, "go.micro", () -> now);
    }

    private static Route local(String node, String service, String address) {
        return new Route(service, address, "", node, "go.micro", 1, "local", List.of(node), "static");
    }

    /** A route to greeter at 10.0.0.9:1 held by the last node of {@code path}. */
    private static Route remote(String service, String... path) {
        return new Route(
                service,
                "10.0.0.9:1",
                path[path.length - 2 < 0 ? 0 : path.length - 2],
                path[0],
                "go.micro",
                path.length,
                "network",
                List.of(path),
                "static");
    }

    private static Service service(String name, String address) {
        return new Service(name, "1", Map.of(), List.of(new ServiceInstance(name + "-1", address, Map.of())));
    }

    private static Registry registry(Service... services) {
        return new Registry() {
            @Override
            public String name() {
                return "static";
            }

            @Override
            public List<Service> services() {
                return List.of(services);
            }

            @Override
            public Registration watch(Consumer<List<Service>> listener) {
                listener.accept(List.of(services));
                return () -> {};
            }
        };
    }
}
