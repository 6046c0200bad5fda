package network.micro.registry.etcd.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import network.micro.api.NodeProperties;
import network.micro.api.Registration;
import network.micro.api.Registry;
import network.micro.api.Service;
import network.micro.support.PublishedServices;
import network.micro.support.RegistryAddresses;
import network.micro.support.ServiceToRegister;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Local services from etcd v3, in the key layout go-micro's etcd registry writes. A change in etcd is seen through
 * a watch at once; losing etcd keeps the services last read for a grace period. Services named in the
 * configuration are registered under a lease that is kept alive, so they vanish soon after this node does.
 */
@Component(service = Registry.class, configurationPid = EtcdRegistry.PID)
@Designate(ocd = EtcdRegistry.Config.class)
public final class EtcdRegistry implements Registry {

    static final String PID = "network.micro.registry.etcd";

    @ObjectClassDefinition(
            name = "micro network etcd registry",
            description = "Reads the node's local services from etcd v3 (go-micro's key layout) and can register"
                    + " services there under a lease it keeps alive.")
    public @interface Config {

        @AttributeDefinition(
                description = "etcd endpoints, host:port or http(s)://host:port, comma separated; a failed call"
                        + " moves on to the next.")
        String[] addresses() default {"127.0.0.1:2379"};

        @AttributeDefinition(
                description = "Key prefix the services live under. go-micro writes one key per service node:"
                        + " <prefix><service>/<node id>.")
        String prefix() default "/micro/registry/";

        @AttributeDefinition(
                description = "Services this node registers in etcd, as name=host:port, comma separated. Empty"
                        + " registers nothing.")
        String[] register() default {};

        @AttributeDefinition(
                description = "Lifetime in seconds of the lease the registered services hold (at least 2). It is"
                        + " renewed every third of it, so the services of a node that dies vanish this long after.")
        int leaseTtl() default 30;

        @AttributeDefinition(
                description = "Seconds the services last read stay in force once etcd cannot be reached; after"
                        + " that they are dropped until etcd is back.")
        int gracePeriod() default 60;

        @AttributeDefinition(description = "Longest wait in seconds between two attempts to reach a lost etcd.")
        int reconnectMax() default 30;
    }

    private static final Logger LOG = System.getLogger(EtcdRegistry.class.getName());

    private final PublishedServices published = new PublishedServices("etcd");
    private EtcdSync sync;

    @Activate
    void activate(BundleContext context, Config config) {
        String node = NodeProperties.get(
                context::getProperty, NodeProperties.ID, UUID.randomUUID().toString());
        String flag = NodeProperties.get(context::getProperty, NodeProperties.REGISTRY_ADDRESS, "");
        open(settings(RegistryAddresses.of(flag, config.addresses()), config, node));
    }

    static EtcdSettings settings(Config config, String nodeId) {
        return settings(RegistryAddresses.of("", config.addresses()), config, nodeId);
    }

    private static EtcdSettings settings(List<String> addresses, Config config, String nodeId) {
        return new EtcdSettings(
                addresses,
                config.prefix(),
                ServiceToRegister.parse(config.register()),
                nodeId,
                Duration.ofSeconds(config.leaseTtl()),
                Duration.ofSeconds(config.gracePeriod()),
                Duration.ofMillis(200),
                Duration.ofSeconds(Math.max(1, config.reconnectMax())));
    }

    synchronized void open(EtcdSettings settings) {
        LOG.log(
                Level.INFO,
                "etcd registry: reading {0} from {1}; registering {2} services",
                settings.prefix(),
                settings.addresses(),
                settings.register().size());
        sync = new EtcdSync(settings, published::publish);
        sync.start();
    }

    @Deactivate
    synchronized void close() {
        if (sync != null) {
            sync.close();
            sync = null;
        }
    }

    /** For tests: stops as a crashed node would, leaving its lease to expire. */
    synchronized void abandon() {
        if (sync != null) {
            sync.abandon();
            sync = null;
        }
    }

    @Override
    public String name() {
        return "etcd";
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
