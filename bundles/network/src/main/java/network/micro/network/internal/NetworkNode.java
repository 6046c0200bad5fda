package network.micro.network.internal;

import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * The node: its links to peers, the routes and graphs they exchange, and its views of the network.
 *
 * <p>Link events arrive on Netty's event loops and are handed to one thread of the node's own, so that the routes,
 * the graph and what was sent to each peer change in one order, without locks.
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
    private final ScheduledExecutorService executor;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final RouteAdvertiser advertiser = new RouteAdvertiser();
    private final PeerGraph graph;
    private final Relay relay;
    private final long advertDelayMillis;
    private volatile Peer currentGraph;
    private Peer lastReport;
    private boolean advertPending;
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
        this.advertDelayMillis = advertDelayMillis;
        this.graph = new PeerGraph(node);
        this.currentGraph = new Peer(node, List.of());
        this.relay = new Relay(node.id(), router, links::get, this::nodeIdOf);
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "micro-network-" + node.id());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the tunnel and the exchange of routes; package-private for tests that wire nodes by hand. */
    void start(TunnelFactory tunnels, TunnelOptions options, long syncIntervalMillis) {
        routeWatch = router.watch(event -> executor.execute(this::scheduleAdvert));
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
        executor.scheduleWithFixedDelay(this::syncAll, syncIntervalMillis, syncIntervalMillis, TimeUnit.MILLISECONDS);
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
        executor.shutdownNow();
        LOG.log(Level.INFO, "node {0}: stopped", node.id());
    }

    // Link events: on event loops; hand everything to the node's thread.

    @Override
    public void linkUp(Link link) {
        executor.execute(() -> {
            links.put(link.peerId(), link);
            LOG.log(
                    Level.INFO,
                    "node {0}: link up with peer {1} at {2} ({3})",
                    node.id(),
                    link.peerId(),
                    link.remoteAddress(),
                    link.direction());
            sync(link);
            graphChanged();
        });
    }

    @Override
    public void linkDown(Link link, String reason) {
        executor.execute(() -> {
            if (!links.remove(link.peerId(), link)) {
                return;
            }
            LOG.log(Level.INFO, "node {0}: link down with peer {1}: {2}", node.id(), link.peerId(), reason);
            advertiser.forget(link.peerId());
            graph.forget(link.peerId());
            router.forget(link.peerId());
            graphChanged();
        });
    }

    @Override
    public void control(Link link, String json) {
        executor.execute(() -> receive(link, json));
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

    // On the node's thread from here on.

    private void receive(Link link, String json) {
        if (links.get(link.peerId()) != link) {
            return;
        }
        ControlMessage message;
        try {
            message = ControlMessage.parse(json);
        } catch (IllegalArgumentException e) {
            LOG.log(
                    Level.WARNING,
                    "node {0}: ignored a control message from peer {1}: {2}",
                    node.id(),
                    link.peerId(),
                    e.getMessage());
            return;
        }
        long cost = LinkCost.of(link.rtt());
        try {
            switch (message.type()) {
                case ControlMessage.SYNC -> {
                    router.learn(link.peerId(), cost, message.routes());
                    reportGraph(link, message.graph());
                }
                case ControlMessage.ADVERT -> router.update(link.peerId(), cost, message.events());
                default -> reportGraph(link, message.graph());
            }
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "node {0}: ignored a {1} message from peer {2}: {3}",
                    node.id(),
                    message.type(),
                    link.peerId(),
                    e.getMessage());
        }
    }

    private void reportGraph(Link link, Peer report) {
        graph.report(link.peerId(), report);
        graphChanged();
    }

    private void scheduleAdvert() {
        if (!advertPending) {
            advertPending = true;
            executor.schedule(this::advertChanges, advertDelayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void advertChanges() {
        advertPending = false;
        List<Route> advertised = router.advertised();
        for (Link link : links.values()) {
            List<network.micro.api.RouteEvent> events = advertiser.changes(link.peerId(), advertised);
            if (!events.isEmpty()) {
                send(link, ControlMessage.advert(events));
            }
        }
    }

    private void syncAll() {
        links.values().forEach(this::sync);
    }

    private void sync(Link link) {
        List<Route> routes = advertiser.full(link.peerId(), router.advertised());
        send(link, ControlMessage.sync(routes, lastReport != null ? lastReport : graph.report(linkedNodes())));
    }

    /** Recomputes the graph, and tells the peers when what they see of it changed; depth bounds the ripple. */
    private void graphChanged() {
        currentGraph = graph.graph(linkedNodes(), MAX_HOPS);
        Peer report = graph.report(linkedNodes());
        if (!report.equals(lastReport)) {
            lastReport = report;
            links.values().forEach(link -> send(link, ControlMessage.graph(report)));
        }
    }

    private void send(Link link, ControlMessage message) {
        try {
            link.send(message.toJson()).addListener(future -> {
                if (!future.isSuccess()) {
                    LOG.log(
                            Level.DEBUG,
                            "node {0}: {1} to peer {2} not sent: {3}",
                            node.id(),
                            message.type(),
                            link.peerId(),
                            future.cause());
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.log(
                    Level.WARNING,
                    "node {0}: {1} for peer {2} not sent: {3}",
                    node.id(),
                    message.type(),
                    link.peerId(),
                    e.getMessage());
        }
    }

    private Map<String, Node> linkedNodes() {
        Map<String, Node> linked = new TreeMap<>();
        links.values()
                .forEach(
                        link -> linked.put(link.peerId(), new Node(link.peerId(), link.peerAddress(), node.network())));
        return linked;
    }

    // Views: any thread.

    @Override
    public Node node() {
        return node;
    }

    @Override
    public List<Node> nodes() {
        return PeerGraph.nodes(currentGraph);
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
        return currentGraph;
    }

    @Override
    public List<LinkInfo> links() {
        List<LinkInfo> views = new ArrayList<>();
        for (Link link : links.values()) {
            views.add(new LinkInfo(
                    link.peerId(),
                    link.peerAddress(),
                    String.valueOf(link.remoteAddress()),
                    link.direction().name().toLowerCase(java.util.Locale.ROOT),
                    link.state().name().toLowerCase(java.util.Locale.ROOT),
                    link.rtt().toNanos() / 1000,
                    link.bytesIn(),
                    link.bytesOut(),
                    String.valueOf(link.upSince())));
        }
        views.sort(Comparator.comparing(LinkInfo::peer));
        return views;
    }
}
