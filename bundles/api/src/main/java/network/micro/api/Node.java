package network.micro.api;

import java.util.Objects;

/**
 * A node of the network.
 *
 * @param id unique identifier, chosen by the node when it starts
 * @param address {@code host:port} its peers dial, empty when unknown
 * @param network the name of the network it belongs to
 */
public record Node(String id, String address, String network) {

    public Node {
        Objects.requireNonNull(id, "id");
        address = address == null ? "" : address;
        network = network == null ? "" : network;
    }
}
