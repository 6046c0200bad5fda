package network.micro.network.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import network.micro.api.HostPort;
import network.micro.api.Network;
import network.micro.api.NodeProperties;
import network.micro.api.Registration;
import network.micro.api.Registry;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The node as a service: {@value Network#SERVICE_NAME}, with one instance at this node's proxy listener. Its routes
 * spread like any other, so every node can be asked for its views through the network.
 */
@Component(service = Registry.class)
public final class NodeServiceRegistry implements Registry {

    private final List<Service> services;

    @Activate
    public NodeServiceRegistry(BundleContext context) {
        HostPort proxy = HostPort.parse(NodeProperties.get(
                context::getProperty, NodeProperties.PROXY_ADDRESS, NodeProperties.DEFAULT_PROXY_ADDRESS));
        boolean anyInterface = proxy.host().isEmpty()
                || proxy.host().equals("0.0.0.0")
                || proxy.host().equals("::");
        String address = anyInterface ? "127.0.0.1:" + proxy.port() : proxy.toString();
        ServiceInstance instance =
                new ServiceInstance(NodeProperties.id(context::getProperty), address, Map.of("role", "node"));
        this.services = List.of(new Service(Network.SERVICE_NAME, "", Map.of(), List.of(instance)));
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public List<Service> services() {
        return services;
    }

    @Override
    public Registration watch(Consumer<List<Service>> listener) {
        listener.accept(services);
        return () -> {};
    }
}
