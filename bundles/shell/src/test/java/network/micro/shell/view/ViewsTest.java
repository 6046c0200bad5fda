package network.micro.shell.view;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import network.micro.api.Node;
import network.micro.api.Peer;
import network.micro.api.Route;
import network.micro.shell.view.ViewJson.View;
import org.junit.Test;

public class ViewsTest {

    private static final Node A = new Node("node-a", "10.0.0.1:8085", "go.micro");
    private static final Node B = new Node("node-b", "10.0.0.2:8085", "go.micro");
    private static final Node C = new Node("node-c", "", "go.micro");

    @Test
    public void nodesTable() {
        assertEquals("""
                ID      ADDRESS
                node-a  10.0.0.1:8085
                node-c  -
                """, Views.nodes(List.of(A, C)));
    }

    @Test
    public void routesTableHasTheDesignColumns() {
        Route local = new Route("greeter", "127.0.0.1:9090", "", "node-a", "go.micro", 1, "local", null, "static");
        Route remote = new Route(
                "echo", "10.0.0.9:7", "node-b", "node-c", "go.micro", 120, "link-1", List.of("node-c", "node-b"), "");

        assertEquals("""
                SERVICE  ADDRESS         GATEWAY  ROUTER  NETWORK   METRIC  LINK
                greeter  127.0.0.1:9090  -        node-a  go.micro  1       local
                echo     10.0.0.9:7      node-b   node-c  go.micro  120     link-1
                """, Views.routes(List.of(local, remote)));
    }

    @Test
    public void emptyTablesKeepTheirHeader() {
        assertEquals("SERVICE  ADDRESS  GATEWAY  ROUTER  NETWORK  METRIC  LINK\n", Views.routes(List.of()));
        assertEquals("", Views.services(List.of()));
    }

    @Test
    public void graphIsATree() {
        Peer graph = new Peer(A, List.of(new Peer(B, List.of(new Peer(C, List.of()))), new Peer(C, List.of())));

        assertEquals("""
                node-a 10.0.0.1:8085
                ├── node-b 10.0.0.2:8085
                │   └── node-c
                └── node-c
                """, Views.graph(graph));
    }

    @Test
    public void jsonRoundTripsEveryView() {
        Route route = new Route("greeter", "127.0.0.1:9090", "", "node-a", "go.micro", 1, "local", null, "static");
        Peer graph = new Peer(A, List.of(new Peer(B, List.of())));

        assertEquals(List.of(route), ViewJson.read(View.ROUTES, ViewJson.pretty(List.of(route))));
        assertEquals(List.of(A, B), ViewJson.read(View.NODES, ViewJson.pretty(List.of(A, B))));
        assertEquals(List.of("echo"), ViewJson.read(View.SERVICES, ViewJson.pretty(List.of("echo"))));
        assertEquals(graph, ViewJson.read(View.GRAPH, ViewJson.pretty(graph)));
    }

    @Test
    public void malformedJsonNamesTheView() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> ViewJson.read(View.ROUTES, "{\"not\": \"a list\"}"));

        assertEquals(true, error.getMessage().startsWith("malformed answer for /routes"));
        assertThrows(IllegalArgumentException.class, () -> ViewJson.read(View.ROUTES, ""));
    }
}
