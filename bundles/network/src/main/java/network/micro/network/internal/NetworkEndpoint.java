package network.micro.network.internal;

import com.google.gson.Gson;
import network.micro.api.Network;
import network.micro.api.NodeEndpoint;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Serves the node's views as the service {@value Network#SERVICE_NAME}: {@code GET /nodes}, {@code /routes},
 * {@code /services}, {@code /graph}, {@code /links}, each as JSON. The command line is a client of it.
 */
@Component
public final class NetworkEndpoint implements NodeEndpoint {

    private static final Gson GSON = new Gson();

    private final Network network;

    @Activate
    public NetworkEndpoint(@Reference Network network) {
        this.network = network;
    }

    @Override
    public String service() {
        return Network.SERVICE_NAME;
    }

    @Override
    public Reply handle(String method, String path) {
        if (!"GET".equals(method)) {
            return Reply.error(405, "method " + method + " not allowed; the views answer GET");
        }
        int query = path.indexOf('?');
        String view = query < 0 ? path : path.substring(0, query);
        return switch (view) {
            case "/node" -> Reply.json(GSON.toJson(network.node()));
            case "/nodes" -> Reply.json(GSON.toJson(network.nodes()));
            case "/routes" -> Reply.json(GSON.toJson(network.routes()));
            case "/services" -> Reply.json(GSON.toJson(network.services()));
            case "/graph" -> Reply.json(GSON.toJson(network.graph()));
            case "/links" -> Reply.json(GSON.toJson(network.links()));
            default -> Reply.error(404, "no view " + view + "; try /nodes, /routes, /services, /graph or /links");
        };
    }
}
