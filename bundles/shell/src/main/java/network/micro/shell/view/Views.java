package network.micro.shell.view;

import java.util.List;
import network.micro.api.LinkInfo;
import network.micro.api.Node;
import network.micro.api.Peer;
import network.micro.api.Route;

/** Renders the node's views as the text tables users read. */
public final class Views {

    private Views() {}

    /** {@code ID ADDRESS}, one node a line. */
    public static String nodes(List<Node> nodes) {
        Table table = new Table("ID", "ADDRESS");
        nodes.forEach(node -> table.row(node.id(), node.address()));
        return table.toString();
    }

    /** {@code SERVICE ADDRESS GATEWAY ROUTER NETWORK METRIC LINK}, one route a line. */
    public static String routes(List<Route> routes) {
        Table table = new Table("SERVICE", "ADDRESS", "GATEWAY", "ROUTER", "NETWORK", "METRIC", "LINK");
        for (Route route : routes) {
            table.row(
                    route.service(),
                    route.address(),
                    route.gateway(),
                    route.router(),
                    route.network(),
                    route.metric(),
                    route.link());
        }
        return table.toString();
    }

    /** {@code PEER ADDRESS DIRECTION STATE RTT IN OUT UP-SINCE}, one direct link a line. */
    public static String links(List<LinkInfo> links) {
        Table table = new Table("PEER", "ADDRESS", "DIRECTION", "STATE", "RTT", "IN", "OUT", "UP-SINCE");
        for (LinkInfo link : links) {
            table.row(
                    link.peer(),
                    link.address(),
                    link.direction(),
                    link.state(),
                    rtt(link.rttMicros()),
                    link.bytesIn(),
                    link.bytesOut(),
                    link.upSince());
        }
        return table.toString();
    }

    private static String rtt(long micros) {
        return micros < 10_000 ? String.format(java.util.Locale.ROOT, "%.2fms", micros / 1000.0) : micros / 1000 + "ms";
    }

    /** Service names, one a line, in the order given. */
    public static String services(List<String> services) {
        StringBuilder out = new StringBuilder();
        services.forEach(name -> out.append(name).append('\n'));
        return out.toString();
    }

    /** The peer graph as an indented tree, the root first. */
    public static String graph(Peer root) {
        StringBuilder out = new StringBuilder();
        out.append(label(root)).append('\n');
        branches(root.peers(), "", out);
        return out.toString();
    }

    private static void branches(List<Peer> peers, String indent, StringBuilder out) {
        for (int i = 0; i < peers.size(); i++) {
            boolean last = i == peers.size() - 1;
            Peer peer = peers.get(i);
            out.append(indent)
                    .append(last ? "└── " : "├── ")
                    .append(label(peer))
                    .append('\n');
            branches(peer.peers(), indent + (last ? "    " : "│   "), out);
        }
    }

    private static String label(Peer peer) {
        Node node = peer.node();
        return node.address().isEmpty() ? node.id() : node.id() + " " + node.address();
    }
}
