package network.micro.shell.internal;

import java.io.PrintStream;
import network.micro.api.Network;
import network.micro.shell.view.ViewJson;
import network.micro.shell.view.ViewJson.View;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code network:*} commands of the Gogo shell. They print the same views as {@code micro network ...}. */
@Component(
        service = NetworkCommands.class,
        property = {
            "osgi.command.scope=network",
            "osgi.command.function=nodes",
            "osgi.command.function=routes",
            "osgi.command.function=services",
            "osgi.command.function=graph",
            "osgi.command.function=links"
        })
public final class NetworkCommands {

    private final Network network;
    private final PrintStream out;

    @Activate
    public NetworkCommands(@Reference Network network) {
        this(network, null);
    }

    NetworkCommands(Network network, PrintStream out) {
        this.network = network;
        this.out = out;
    }

    @Descriptor("every node this one knows: ID ADDRESS")
    public void nodes(
            @Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true")
                    boolean json) {
        print(View.NODES, network.nodes(), json);
    }

    @Descriptor("the routing table: SERVICE ADDRESS GATEWAY ROUTER NETWORK METRIC LINK")
    public void routes(
            @Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true")
                    boolean json) {
        print(View.ROUTES, network.routes(), json);
    }

    @Descriptor("the names of every service on the network, sorted")
    public void services(
            @Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true")
                    boolean json) {
        print(View.SERVICES, network.services(), json);
    }

    @Descriptor("the peer graph as a tree, 3 levels deep")
    public void graph(
            @Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true")
                    boolean json) {
        print(View.GRAPH, network.graph(), json);
    }

    @Descriptor("the direct links: PEER ADDRESS DIRECTION STATE RTT IN OUT UP-SINCE")
    public void links(
            @Descriptor("print JSON") @Parameter(names = "--json", absentValue = "false", presentValue = "true")
                    boolean json) {
        print(View.LINKS, network.links(), json);
    }

    private void print(View view, Object value, boolean json) {
        // Gogo swaps System.out per session: look it up at each call.
        PrintStream stream = out != null ? out : System.out;
        stream.print(json ? ViewJson.pretty(value) : ViewJson.table(view, value));
        stream.flush();
    }
}
