package network.micro.network.internal;

import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import network.micro.api.LinkInfo;
import network.micro.api.Network;
import network.micro.api.Node;
import network.micro.api.NodeProperties;
import network.micro.api.Peer;
import network.micro.api.Registration;
import network.micro.api.Route;
import network.micro.api.Router;
import network.micro.relay.RelayRequest;
import network.micro.relay.RelayStream;
import network.micro.relay.ServiceConnector;
import network.micro.tunnel.Link;
import network.micro.tunnel.LinkListener;
import network.micro.tunnel.Tunnel;
import network.micro.tunnel.TunnelFactory;
import network.micro.tunnel.TunnelOptions;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The node: its links to peers, the routes and graphs it exchanges over them ({@link PeerExchange}), the streams it
 * relays ({@link Relay}), and its views of the network.
 */
@Component(
        service = {Network.class, ServiceConnector.class},
        configurationPid = NetworkNode.PID)
@Designate(ocd = NetworkNode.Config.class)
public final class NetworkNode implements Network, ServiceConnector, LinkListener {

    static final String PID = "network.micro.network";

    @ObjectClassDefinition(
            name = "micro network node",
            description = "How the node keeps its links and exchanges routes. Identity, addresses, token and seeds"
                    + " come from the command line.")
    public @interface Config {

        @AttributeDefinition(description = "Milliseconds between full route syncs with every peer.")
        long syncIntervalMillis() default 5000;

        @AttributeDefinition(description = "Milliseconds over which route changes are gathered into one advert.")
        long advertDelayMillis() default 10;

        @AttributeDefinition(description = "Milliseconds between keepalive pings on each link.")
        long keepaliveMillis() default 1000;

        @AttributeDefinition(description = "Milliseconds without a ping answer after which a link is dead.")
        long deadAfterMillis() default 3000;

        @AttributeDefinition(description = "Milliseconds a new connection has for TLS and authentication.")
        long handshakeTimeoutMillis() default 5000;

        @AttributeDefinition(description = "The largest control message accepted from a peer, in bytes.")
        int maxControlMessageBytes() default 1024 * 1024;

        @AttributeDefinition(description = "How many connections may be authenticating at once; more are refused.")
        int maxPendingConnections() default 64;

        @AttributeDefinition(description = "PEM certificate chain of this node; empty makes a self-signed one.")
        String certificateFile() default "";

        @AttributeDefinition(description = "PEM PKCS#8 private key of the certificate.")
        String keyFile() default "";

        @AttributeDefinition(description = "PEM certificates peers must chain to; empty accepts any certificate.")
        String caFile() default "";
    }

    private static final Logger LOG = System.getLogger(NetworkNode.class.getName());

    private final Node node;
    private final Router router;
    private final PeerExchange exchange;
    private final Relay relay;
    private Registration routeWatch;
    private Tunnel tunnel;

    @Activate
    public NetworkNode(
            BundleContext context, Config config, @Reference Router router, @Reference TunnelFactory tunnels) {
        this(nodeOf(context::getProperty), router, config.advertDelayMillis());
        UnaryOperator<String> properties = context::getProperty;
        String home = NodeProperties.get(properties, NodeProperties.HOME, ".");
        start(tunnels, options(properties, config, Path.of(home)), config.syncIntervalMillis());
    }

    NetworkNode(Node node, Router router, long advertDelayMillis) {
        this.node = node;
        this.router = router;
        this.exchange = new PeerExchange(node, router, advertDelayMillis);
        this.relay = new Relay(node.id(), router, exchange::link, this::nodeIdOf);
    }

    /** Starts the tunnel and the exchange of routes; package-private for tests that wire nodes by hand. */
    void start(TunnelFactory tunnels, TunnelOptions options, long syncIntervalMillis) {
        routeWatch = router.watch(event -> exchange.routesChanged());
        try {
            tunnel = tunnels.start(options, this);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            stop();
            LOG.log(
                    Level.ERROR,
                    "node {0}: cannot start its links on {1}: {2}",
                    node.id(),
                    options.listenAddress(),
                    e.getMessage());
            throw e;
        }
        exchange.syncEvery(syncIntervalMillis);
        LOG.log(
                Level.INFO,
                "node {0}: started on network {1}, links on {2}, seeds {3}",
                node.id(),
                node.network(),
                tunnel.localAddress(),
                options.seeds());
    }

    static Node nodeOf(UnaryOperator<String> properties) {
        String address = NodeProperties.get(properties, NodeProperties.ADDRESS, NodeProperties.DEFAULT_ADDRESS);
        String advertised = NodeProperties.get(properties, NodeProperties.ADVERTISE, address);
        return new Node(NodeProperties.id(properties), advertised, NodeProperties.network(properties));
    }

    private TunnelOptions options(UnaryOperator<String> properties, Config config, Path home) {
        String seeds = NodeProperties.get(properties, NodeProperties.NODES, "");
        TunnelOptions.Builder builder = TunnelOptions.builder(
                        node.id(),
                        node.network(),
                        NodeProperties.get(properties, NodeProperties.TOKEN, NodeProperties.DEFAULT_TOKEN))
                .listenAddress(NodeProperties.get(properties, NodeProperties.ADDRESS, NodeProperties.DEFAULT_ADDRESS))
                .advertiseAddress(NodeProperties.get(properties, NodeProperties.ADVERTISE, ""))
                .seeds(Arrays.stream(seeds.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .keepaliveInterval(Duration.ofMillis(config.keepaliveMillis()))
                .deadAfter(Duration.ofMillis(config.deadAfterMillis()))
                .handshakeTimeout(Duration.ofMillis(config.handshakeTimeoutMillis()))
                .maxControlMessageBytes(config.maxControlMessageBytes())
                .maxPendingConnections(config.maxPendingConnections());
        if (!config.certificateFile().isBlank()) {
            builder.certificate(home.resolve(config.certificateFile()), home.resolve(config.keyFile()));
        }
        if (!config.caFile().isBlank()) {
            builder.caFile(home.resolve(config.caFile()));
        }
        return builder.build();
    }

    @Deactivate
    void stop() {
        if (routeWatch != null) {
            routeWatch.close();
        }
        if (tunnel != null) {
            tunnel.close();
        }
        exchange.close();
        LOG.log(Level.INFO, "node {0}: stopped", node.id());
    }

    // Link events: on event loops; the exchange hands them to its own thread.

    @Override
    public void linkUp(Link link) {
        exchange.linkUp(link);
    }

    @Override
    public void linkDown(Link link, String reason) {
        exchange.linkDown(link, reason);
    }

    @Override
    public void control(Link link, String json) {
        exchange.control(link, json);
    }

    @Override
    public void stream(
            Link link,
            io.netty.handler.codec.http2.Http2StreamChannel stream,
            io.netty.handler.codec.http2.Http2Headers headers) {
        relay.accept(link, stream, headers);
    }

    @Override
    public io.netty.util.concurrent.Future<RelayStream> connect(
            RelayRequest request, io.netty.channel.EventLoop loop, io.netty.channel.ChannelHandler handler) {
        return relay.connect(request, loop, handler);
    }

    /** The id of the node named by id or address, as far as the graph tells; the name itself otherwise. */
    private String nodeIdOf(String idOrAddress) {
        for (Node known : nodes()) {
            if (known.id().equals(idOrAddress) || known.address().equals(idOrAddress)) {
                return known.id();
            }
        }
        return idOrAddress;
    }

    // Views: any thread.

    @Override
    public Node node() {
        return node;
    }

    @Override
    public List<Node> nodes() {
        return PeerGraph.nodes(exchange.graph());
    }

    @Override
    public List<Route> routes() {
        return router.routes();
    }

    @Override
    public List<String> services() {
        TreeSet<String> names = new TreeSet<>();
        router.routes().forEach(route -> names.add(route.service()));
        return List.copyOf(names);
    }

    @Override
    public Peer graph() {
        return exchange.graph();
    }

    @Override
    public List<LinkInfo> links() {
        return exchange.links();
    }
}
