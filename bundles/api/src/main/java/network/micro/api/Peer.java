package network.micro.api;

import java.util.List;
import java.util.Objects;

/**
 * A node and the peers it links to: one level of the peer graph seen from some node.
 *
 * @param node the node at this level
 * @param peers its peers one level further, never null
 */
public record Peer(Node node, List<Peer> peers) {

    public Peer {
        Objects.requireNonNull(node, "node");
        peers = peers == null ? List.of() : List.copyOf(peers);
    }
}
