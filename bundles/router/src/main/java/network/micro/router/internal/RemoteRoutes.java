package network.micro.router.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import network.micro.api.Network;
import network.micro.api.Route;

/**
 * The path-vector rules: which advertised routes a node keeps, and what they become once they cross the link they
 * came over.
 */
final class RemoteRoutes {

    /** The link name of every route learned from a peer. */
    static final String NETWORK_LINK = "network";

    private static final Logger LOG = System.getLogger(RemoteRoutes.class.getName());

    private final String nodeId;
    private final String network;

    RemoteRoutes(String nodeId, String network) {
        this.nodeId = nodeId;
        this.network = network;
    }

    String network() {
        return network;
    }

    /** Whether {@code route}, as {@code peer} advertised it, is one this node may use; logs why not. */
    boolean accepts(String peer, Route route) {
        List<String> path = route.path();
        String refusal = null;
        if (!network.equals(route.network())) {
            refusal = "it belongs to network " + route.network();
        } else if (path.isEmpty() || !path.get(path.size() - 1).equals(peer)) {
            refusal = "its path " + path + " does not end at the peer";
        } else if (!path.get(0).equals(route.router())) {
            refusal = "its path " + path + " does not start at its router " + route.router();
        } else if (new HashSet<>(path).size() != path.size()) {
            refusal = "its path " + path + " holds a loop";
        } else if (path.contains(nodeId)) {
            // Ordinary in a mesh: the route came back around. Not worth a log line above debug.
            LOG.log(
                    Level.TRACE,
                    "node {0}: dropped {1} from {2}: path {3} holds this node",
                    nodeId,
                    route.service(),
                    peer,
                    path);
            return false;
        } else if (path.size() > Network.MAX_HOPS) {
            LOG.log(
                    Level.TRACE,
                    "node {0}: dropped {1} from {2}: path {3} is too long",
                    nodeId,
                    route.service(),
                    peer,
                    path);
            return false;
        }
        if (refusal != null) {
            LOG.log(
                    Level.WARNING,
                    "node {0}: refused route to {1} at {2} from peer {3}: {4}",
                    nodeId,
                    route.service(),
                    route.address(),
                    peer,
                    refusal);
            return false;
        }
        return true;
    }

    /** {@code route} as seen from this node: through {@code peer}, one link longer and costlier. */
    Route viaPeer(String peer, long linkCost, Route route) {
        List<String> path = new ArrayList<>(route.path());
        path.add(nodeId);
        return new Route(
                route.service(),
                route.address(),
                peer,
                route.router(),
                route.network(),
                Math.addExact(route.metric(), linkCost),
                NETWORK_LINK,
                path,
                route.registry());
    }

    /** Identifies the instance a route leads to, whatever the way there. */
    static String destination(Route route) {
        return route.service() + '\n' + route.address() + '\n' + route.router();
    }
}
