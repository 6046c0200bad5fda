package network.micro.router.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import network.micro.api.Registration;
import network.micro.api.Registry;
import network.micro.api.RouteEvent;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;
import org.junit.Test;

public class PathVectorRouterTest {

    private final PathVectorRouter router = new PathVectorRouter("node-a", "go.micro", System::nanoTime);
    private final FakeRegistry registry = new FakeRegistry();

    @Test
    public void aBoundRegistryFillsTheTableAndAnUnboundOneEmptiesIt() {
        registry.services = List.of(service("greeter", "127.0.0.1:9000"));
        List<RouteEvent> events = new ArrayList<>();
        router.watch(events::add);

        router.addRegistry(registry);
        assertEquals(1, router.lookup("greeter").size());

        router.removeRegistry(registry);
        assertTrue(router.routes().isEmpty());
        assertEquals(
                List.of(RouteEvent.Type.CREATE, RouteEvent.Type.DELETE),
                events.stream().map(RouteEvent::type).toList());
        assertTrue("the watch is closed", registry.listener == null);
    }

    @Test
    public void registryChangesAreApplied() {
        router.addRegistry(registry);

        registry.publish(List.of(service("greeter", "127.0.0.1:9000"), service("echo", "127.0.0.1:7")));
        assertEquals(2, router.routes().size());

        registry.publish(List.of(service("echo", "127.0.0.1:7")));
        assertEquals(
                List.of("echo"), router.routes().stream().map(r -> r.service()).toList());
    }

    @Test
    public void aFailingListenerDoesNotStopTheOthers() {
        List<RouteEvent> events = new ArrayList<>();
        router.watch(event -> {
            throw new IllegalStateException("boom");
        });
        router.watch(events::add);
        router.addRegistry(registry);

        registry.publish(List.of(service("greeter", "127.0.0.1:9000")));

        assertEquals(1, events.size());
    }

    @Test
    public void aClosedWatchHearsNothing() {
        List<RouteEvent> events = new ArrayList<>();
        Registration watch = router.watch(events::add);
        watch.close();
        router.addRegistry(registry);

        registry.publish(List.of(service("greeter", "127.0.0.1:9000")));

        assertTrue(events.isEmpty());
    }

    private static Service service(String name, String address) {
        return new Service(name, "1", Map.of(), List.of(new ServiceInstance(name + "-1", address, Map.of())));
    }

    private static final class FakeRegistry implements Registry {
        List<Service> services = List.of();
        Consumer<List<Service>> listener;

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public List<Service> services() {
            return services;
        }

        @Override
        public Registration watch(Consumer<List<Service>> listener) {
            this.listener = listener;
            listener.accept(services);
            return () -> this.listener = null;
        }

        void publish(List<Service> next) {
            services = next;
            listener.accept(next);
        }
    }
}
