package network.micro.proxy.internal;

import java.util.Optional;
import network.micro.api.NodeEndpoint;

/** What the ingress handlers need to know of the node. */
interface Ingress {

    /** The id of this node. */
    String nodeId();

    /** Whether {@code idOrAddress} names this node. */
    boolean isThisNode(String idOrAddress);

    /** The node's own endpoint for {@code service}, if it serves one. */
    Optional<NodeEndpoint> endpoint(String service);
}
