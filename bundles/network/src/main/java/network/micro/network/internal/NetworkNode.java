package network.micro.network.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import network.micro.api.Network;
import network.micro.api.Node;
import network.micro.api.NodeProperties;
import network.micro.api.Peer;
import network.micro.api.Route;
import network.micro.api.Router;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** The node: who it is, and what it sees of the network. */
@Component(service = Network.class)
public final class NetworkNode implements Network {

    private static final Logger LOG = System.getLogger(NetworkNode.class.getName());

    private final Node node;
    private final Router router;

    @Activate
    public NetworkNode(BundleContext context, @Reference Router router) {
        this(nodeOf(context::getProperty), router);
        if (NodeProperties.DEFAULT_TOKEN.equals(
                NodeProperties.get(context::getProperty, NodeProperties.TOKEN, NodeProperties.DEFAULT_TOKEN))) {
            LOG.log(
                    Level.WARNING,
                    "node {0}: running with the default token: any node may join network {1}",
                    node.id(),
                    node.network());
        }
    }

    NetworkNode(Node node, Router router) {
        this.node = node;
        this.router = router;
        LOG.log(Level.INFO, "node {0}: started on network {1} at {2}", node.id(), node.network(), node.address());
    }

    static Node nodeOf(UnaryOperator<String> properties) {
        String address = NodeProperties.get(properties, NodeProperties.ADDRESS, NodeProperties.DEFAULT_ADDRESS);
        String advertised = NodeProperties.get(properties, NodeProperties.ADVERTISE, address);
        return new Node(NodeProperties.id(properties), advertised, NodeProperties.network(properties));
    }

    @Deactivate
    void deactivate() {
        LOG.log(Level.INFO, "node {0}: stopped", node.id());
    }

    @Override
    public Node node() {
        return node;
    }

    @Override
    public List<Node> nodes() {
        return List.of(node);
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
        return new Peer(node, List.of());
    }
}
