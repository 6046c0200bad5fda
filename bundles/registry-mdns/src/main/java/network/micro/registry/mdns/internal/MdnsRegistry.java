package network.micro.registry.mdns.internal;

import java.lang.System.Logger;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import network.micro.api.NodeProperties;
import network.micro.api.Registration;
import network.micro.api.Registry;
import network.micro.api.Service;
import network.micro.support.PublishedServices;
import network.micro.support.ServiceToRegister;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Local services from multicast DNS service discovery on the LAN: every instance announced under the service type,
 * resolved, until it says goodbye or its records expire. Services named in the configuration are announced too.
 */
@Component(service = Registry.class, configurationPid = MdnsRegistry.PID)
@Designate(ocd = MdnsRegistry.Config.class)
public final class MdnsRegistry implements Registry {

    static final String PID = "network.micro.registry.mdns";

    @ObjectClassDefinition(
            name = "micro network mDNS registry",
            description = "Browses the LAN for services announced with multicast DNS (DNS-SD) and can announce"
                    + " the node's own.")
    public @interface Config {

        @AttributeDefinition(
                description = "IP address of the network interface to browse and announce on. Empty uses the"
                        + " host's own address.")
        String interfaceAddress() default "";

        @AttributeDefinition(description = "DNS-SD service type the services are announced under.")
        String serviceType() default MdnsRecords.DEFAULT_TYPE;

        @AttributeDefinition(
                description = "Services this node announces, as name=host:port, comma separated. Empty announces"
                        + " nothing.")
        String[] register() default {};
    }

    private static final Logger LOG = System.getLogger(MdnsRegistry.class.getName());

    private final PublishedServices published = new PublishedServices("mdns");
    private MdnsBrowser browser;

    @Activate
    void activate(BundleContext context, Config config) {
        String node = NodeProperties.get(
                context::getProperty, NodeProperties.ID, UUID.randomUUID().toString());
        // --registry-address, when the node was given one, names the interface to announce and browse on.
        String flag = NodeProperties.get(context::getProperty, NodeProperties.REGISTRY_ADDRESS, "");
        String address = flag.isEmpty() ? config.interfaceAddress() : flag;
        open(new MdnsSettings(address, config.serviceType(), ServiceToRegister.parse(config.register()), node));
    }

    synchronized void open(MdnsSettings settings) {
        browser = new MdnsBrowser(settings, published::publish);
        browser.start();
    }

    @Deactivate
    synchronized void close() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Override
    public String name() {
        return "mdns";
    }

    @Override
    public List<Service> services() {
        return published.services();
    }

    @Override
    public Registration watch(Consumer<List<Service>> listener) {
        return published.watch(listener);
    }
}
