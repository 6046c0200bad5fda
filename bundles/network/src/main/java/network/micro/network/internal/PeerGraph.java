package network.micro.network.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import network.micro.api.Network;
import network.micro.api.Node;
import network.micro.api.Peer;

/**
 * The peer graph as this node knows it: its own links, and the graph each linked peer reported, rooted at that peer.
 * A peer's report is dropped with its link, so nodes that vanish are pruned.
 *
 * <p>Not thread-safe: its owner serialises access.
 */
final class PeerGraph {

    private final Node self;
    private final Map<String, Peer> reports = new HashMap<>();

    PeerGraph(Node self) {
        this.self = self;
    }

    /** Keeps {@code report} as what {@code peer} sees; refuses a report not rooted at the peer. */
    void report(String peer, Peer report) {
        if (!report.node().id().equals(peer)) {
            throw new IllegalArgumentException(
                    "graph is rooted at " + report.node().id() + ", not at the peer");
        }
        reports.put(peer, report);
    }

    void forget(String peer) {
        reports.remove(peer);
    }

    /**
     * The graph rooted at this node, {@code depth} levels deep, without cycles: no node appears twice on one branch.
     *
     * @param linked the peers this node is linked to now, by id, with their advertised nodes
     */
    Peer graph(Map<String, Node> linked, int depth) {
        List<Peer> children = new ArrayList<>();
        Set<String> branch = new HashSet<>(Set.of(self.id()));
        for (Map.Entry<String, Node> peer : linked.entrySet()) {
            Peer report = reports.getOrDefault(peer.getKey(), new Peer(peer.getValue(), List.of()));
            children.add(prune(new Peer(peer.getValue(), report.peers()), depth - 1, branch));
        }
        return new Peer(self, children);
    }

    /** Every node in the graph, this node first, each once. */
    static List<Node> nodes(Peer graph) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        collect(graph, nodes);
        return List.copyOf(nodes.values());
    }

    /** The graph a node shows its peers: one level less than its own, so theirs stays {@link Network#MAX_HOPS}. */
    Peer report(Map<String, Node> linked) {
        return graph(linked, Network.MAX_HOPS - 1);
    }

    private static Peer prune(Peer peer, int depth, Set<String> branch) {
        if (depth <= 0) {
            return new Peer(peer.node(), List.of());
        }
        Set<String> below = new HashSet<>(branch);
        below.add(peer.node().id());
        List<Peer> children = new ArrayList<>();
        for (Peer child : peer.peers()) {
            if (!below.contains(child.node().id())) {
                children.add(prune(child, depth - 1, below));
            }
        }
        return new Peer(peer.node(), children);
    }

    private static void collect(Peer peer, Map<String, Node> nodes) {
        nodes.putIfAbsent(peer.node().id(), peer.node());
        peer.peers().forEach(child -> collect(child, nodes));
    }
}
