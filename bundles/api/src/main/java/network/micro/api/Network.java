package network.micro.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The node as its users see it: its identity and its four views of the network. */
@ProviderType
public interface Network {

    /** The name under which every node serves its own views. */
    String SERVICE_NAME = "go.micro.network";

    /** The greatest number of links a route or a proxied request may cross. */
    int MAX_HOPS = 3;

    /** This node. */
    Node node();

    /** Every node this one knows, itself first. */
    List<Node> nodes();

    /** The routing table, sorted by service, then best first. */
    List<Route> routes();

    /** The names of every service with a route, sorted. */
    List<String> services();

    /** The peer graph as a tree rooted at this node, {@link #MAX_HOPS} levels deep. */
    Peer graph();

    /** This node's direct links, sorted by peer id. */
    List<LinkInfo> links();
}
