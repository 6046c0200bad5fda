package network.micro.registry.consul.internal;

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
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Local services from Consul: every service of the catalog with its instances whose checks all pass, followed
 * through blocking queries. Losing Consul keeps the services last read for a grace period. Services named in the
 * configuration are registered with the agent under a TTL check this node keeps passing.
 */
@Component(service = Registry.class, configurationPid = ConsulRegistry.PID)
@Designate(ocd = ConsulRegistry.Config.class)
public final class ConsulRegistry implements Registry {

    static final String PID = "network.micro.registry.consul";

    @ObjectClassDefinition(
            name = "micro network Consul registry",
            description = "Reads the node's local services from Consul's catalog (passing instances only) and can"
                    + " register services with the local agent under a TTL check.")
    public @interface Config {

        @AttributeDefinition(
                description = "HTTP API of the Consul agents, host:port or http(s)://host:port, comma separated;"
                        + " a failed call moves on to the next.")
        String[] addresses() default {"127.0.0.1:8500"};

        @AttributeDefinition(
                name = "ACL token",
                description = "ACL token sent as X-Consul-Token with every call; empty sends none. It needs"
                        + " service:read, node:read, and service:write for the services registered.",
                type = AttributeType.PASSWORD)
        String token() default "";

        @AttributeDefinition(
                description = "Services this node registers with the agent, as name=host:port, comma separated."
                        + " Empty registers nothing.")
        String[] register() default {};

        @AttributeDefinition(
                description = "TTL in seconds of the check of each registered service; it is marked passing every"
                        + " third of it. Consul removes an instance critical for 3 TTLs (at least a minute).")
        int checkTtl() default 30;

        @AttributeDefinition(description = "Longest time in seconds a blocking query waits for a change (1 to 600).")
        int blockingWait() default 300;

        @AttributeDefinition(
                description = "Seconds the services last read stay in force once Consul cannot be reached; after"
                        + " that they are dropped until Consul is back.")
        int gracePeriod() default 60;

        @AttributeDefinition(description = "Longest wait in seconds between two attempts to reach a lost Consul.")
        int reconnectMax() default 30;
    }

    private static final Logger LOG = System.getLogger(ConsulRegistry.class.getName());

    private final PublishedServices published = new PublishedServices("consul");
    private ConsulSync sync;

    @Activate
    void activate(BundleContext context, Config config) {
        String node = NodeProperties.get(
                context::getProperty, NodeProperties.ID, UUID.randomUUID().toString());
        String flag = NodeProperties.get(context::getProperty, NodeProperties.REGISTRY_ADDRESS, "");
        open(settings(RegistryAddresses.of(flag, config.addresses()), config, node));
    }

    static ConsulSettings settings(Config config, String nodeId) {
        return settings(RegistryAddresses.of("", config.addresses()), config, nodeId);
    }

    private static ConsulSettings settings(List<String> addresses, Config config, String nodeId) {
        return new ConsulSettings(
                addresses,
                config.token(),
                ServiceToRegister.parse(config.register()),
                nodeId,
                Duration.ofSeconds(config.checkTtl()),
                Duration.ofSeconds(config.blockingWait()),
                Duration.ofSeconds(config.gracePeriod()),
                Duration.ofMillis(200),
                Duration.ofSeconds(Math.max(1, config.reconnectMax())));
    }

    synchronized void open(ConsulSettings settings) {
        LOG.log(
                Level.INFO,
                "consul registry: reading the catalog of {0}{1}; registering {2} services",
                settings.addresses(),
                settings.token().isEmpty() ? "" : " with an ACL token",
                settings.register().size());
        sync = new ConsulSync(settings, published::publish);
        sync.start();
    }

    @Deactivate
    synchronized void close() {
        if (sync != null) {
            sync.close();
            sync = null;
        }
    }

    @Override
    public String name() {
        return "consul";
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
