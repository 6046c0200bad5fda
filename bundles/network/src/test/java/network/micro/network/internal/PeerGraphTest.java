package network.micro.network.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import network.micro.api.Node;
import network.micro.api.Peer;
import org.junit.Test;

public class PeerGraphTest {

    private static final Node A = node("a");
    private static final Node B = node("b");
    private static final Node C = node("c");
    private static final Node D = node("d");
    private static final Node E = node("e");

    private final PeerGraph graph = new PeerGraph(A);

    @Test
    public void aLoneNodeIsItsOwnGraph() {
        assertEquals(new Peer(A, List.of()), graph.graph(Map.of(), 3));
    }

    @Test
    public void reportsOfPeersExtendTheGraphToThreeLevels() {
        // b reports b -> {a, c -> {d -> {e}}}: e is four links from a, beyond the graph.
        graph.report("b", peer(B, peer(A), peer(C, peer(D, peer(E)))));

        Peer seen = graph.graph(Map.of("b", B), 3);

        assertEquals(peer(A, peer(B, peer(C, peer(D)))), seen);
        assertEquals(List.of(A, B, C, D), PeerGraph.nodes(seen));
    }

    @Test
    public void noNodeAppearsTwiceOnABranch() {
        graph.report("b", peer(B, peer(A, peer(B)), peer(C, peer(B))));

        assertEquals(peer(A, peer(B, peer(C))), graph.graph(Map.of("b", B), 3));
    }

    @Test
    public void aPeerWithoutAReportIsALeafAndAForgottenOneGoes() {
        graph.report("b", peer(B, peer(C)));

        assertEquals(peer(A, peer(B, peer(C)), peer(D)), graph.graph(new TreeMap<>(Map.of("b", B, "d", D)), 3));

        graph.forget("b");
        assertEquals(peer(A, peer(D)), graph.graph(Map.of("d", D), 3));
    }

    @Test
    public void aNodeShowsItsPeersOneLevelLessThanItSees() {
        graph.report("b", peer(B, peer(C, peer(D))));

        assertEquals(peer(A, peer(B, peer(C))), graph.report(Map.of("b", B)));
    }

    @Test
    public void aReportNotRootedAtItsPeerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> graph.report("b", peer(C)));
    }

    private static Node node(String id) {
        return new Node(id, "127.0.0.1:" + (8000 + id.charAt(0)), "go.micro");
    }

    private static Peer peer(Node node, Peer... peers) {
        return new Peer(node, List.of(peers));
    }
}
