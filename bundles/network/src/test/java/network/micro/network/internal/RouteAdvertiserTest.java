package network.micro.network.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import network.micro.api.Route;
import network.micro.api.RouteEvent;
import network.micro.api.RouteEvent.Type;
import org.junit.Test;

public class RouteAdvertiserTest {

    private final RouteAdvertiser advertiser = new RouteAdvertiser();

    @Test
    public void aPeerIsToldOnlyWhatChangedSinceItWasLastTold() {
        Route greeter = route("greeter", 1, "a");
        Route echo = route("echo", 1, "a");
        assertEquals(List.of(greeter), advertiser.full("b", List.of(greeter)));

        Route slower = route("greeter", 5, "a");
        List<RouteEvent> events = advertiser.changes("b", List.of(slower, echo));

        assertEquals(List.of(new RouteEvent(Type.UPDATE, slower), new RouteEvent(Type.CREATE, echo)), events);
        assertEquals(List.of(new RouteEvent(Type.DELETE, echo)), advertiser.changes("b", List.of(slower)));
        assertEquals(List.of(), advertiser.changes("b", List.of(slower)));
    }

    @Test
    public void aPeerIsNotOfferedRoutesThatRunThroughIt() {
        Route viaB = new Route("greeter", "10.0.0.1:80", "b", "b", "go.micro", 3, "network", List.of("b", "a"), "");
        Route local = route("echo", 1, "a");

        assertEquals(List.of(local), advertiser.full("b", List.of(viaB, local)));
        assertEquals(List.of(viaB, local), advertiser.full("c", List.of(viaB, local)));
    }

    @Test
    public void eachPeerHasItsOwnMemory() {
        Route greeter = route("greeter", 1, "a");
        advertiser.full("b", List.of(greeter));

        assertEquals(List.of(new RouteEvent(Type.CREATE, greeter)), advertiser.changes("c", List.of(greeter)));

        advertiser.forget("b");
        assertEquals(List.of(new RouteEvent(Type.CREATE, greeter)), advertiser.changes("b", List.of(greeter)));
    }

    private static Route route(String service, long metric, String node) {
        return new Route(service, "10.0.0.1:80", "", node, "go.micro", metric, "local", List.of(node), "static");
    }
}
