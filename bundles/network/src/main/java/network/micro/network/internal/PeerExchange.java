package network.micro.network.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import network.micro.api.LinkInfo;
import network.micro.api.Network;
import network.micro.api.Node;
import network.micro.api.Peer;
import network.micro.api.Route;
import network.micro.api.RouteEvent;
import network.micro.api.Router;
import network.micro.tunnel.Link;

/**
 * What a node tells its peers and learns from them: routes, as syncs and adverts, and peer graphs.
 *
 * <p>Link events arrive on Netty's event loops and route changes on whatever thread made them; all of them are handed
 * to one thread of the exchange's own, so that the routes learned, the graph and what was sent to each peer change in
 * one order, without locks. The views read volatile snapshots from any thread.
 */
final class PeerExchange implements AutoCloseable {

    private static final Logger LOG = System.getLogger(PeerExchange.class.getName());

    private final Node node;
    private final Router router;
    private final long advertDelayMillis;
    private final ScheduledExecutorService executor;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final RouteAdvertiser advertiser = new RouteAdvertiser();
    private final PeerGraph graph;
    private volatile Peer currentGraph;
    private Peer lastReport;
    private boolean advertPending;

    PeerExchange(Node node, Router router, long advertDelayMillis) {
        this.node = node;
        this.router = router;
        this.advertDelayMillis = advertDelayMillis;
        this.graph = new PeerGraph(node);
        this.currentGraph = new Peer(node, List.of());
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "micro-network-" + node.id());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Sends every peer everything, every {@code intervalMillis}, to repair whatever was lost. */
    void syncEvery(long intervalMillis) {
        executor.scheduleWithFixedDelay(this::syncAll, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void linkUp(Link link) {
        run(() -> {
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

    void linkDown(Link link, String reason) {
        run(() -> {
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

    void control(Link link, String json) {
        run(() -> receive(link, json));
    }

    /** The routing table changed: advertise the difference once the changes of the next few milliseconds are in. */
    void routesChanged() {
        run(() -> {
            if (!advertPending) {
                advertPending = true;
                executor.schedule(this::advertChanges, advertDelayMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** The link to {@code peer}, or null. */
    Link link(String peer) {
        return links.get(peer);
    }

    Peer graph() {
        return currentGraph;
    }

    List<LinkInfo> links() {
        List<LinkInfo> views = new ArrayList<>();
        for (Link link : links.values()) {
            views.add(new LinkInfo(
                    link.peerId(),
                    link.peerAddress(),
                    String.valueOf(link.remoteAddress()),
                    link.direction().name().toLowerCase(Locale.ROOT),
                    link.state().name().toLowerCase(Locale.ROOT),
                    link.rtt().toNanos() / 1000,
                    link.bytesIn(),
                    link.bytesOut(),
                    String.valueOf(link.upSince())));
        }
        views.sort(Comparator.comparing(LinkInfo::peer));
        return views;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Hands {@code task} to the exchange's thread; once closed, events still arriving are of no use and dropped. */
    private void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "node {0}: exchange closed, event dropped", node.id());
        }
    }

    // On the exchange's thread from here on.

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

    private void advertChanges() {
        advertPending = false;
        List<Route> advertised = router.advertised();
        for (Link link : links.values()) {
            List<RouteEvent> events = advertiser.changes(link.peerId(), advertised);
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
        currentGraph = graph.graph(linkedNodes(), Network.MAX_HOPS);
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
        for (Link link : links.values()) {
            linked.put(link.peerId(), new Node(link.peerId(), link.peerAddress(), node.network()));
        }
        return linked;
    }
}
