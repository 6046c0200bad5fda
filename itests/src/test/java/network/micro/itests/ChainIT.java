package network.micro.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import network.micro.api.Peer;
import network.micro.api.Route;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Four nodes from the distribution in a chain A-B-C-D, each knowing only its neighbour as seed, and a fifth node E
 * with another token that tries to join A. The last test kills A.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ChainIT {

    private static RunningNode a;
    private static RunningNode b;
    private static RunningNode c;
    private static RunningNode d;

    @BeforeClass
    public static void startChain() throws Exception {
        a = RunningNode.start("A", List.of("greeter"));
        b = RunningNode.start("B", List.of(), "--nodes=" + a.address);
        c = RunningNode.start("C", List.of(), "--nodes=" + b.address);
        d = RunningNode.start("D", List.of(), "--nodes=" + c.address);
        for (RunningNode node : List.of(a, b, c, d)) {
            node.awaitUp();
        }
        Await.until("D learns greeter", 15_000, () -> !d.routesTo("greeter").isEmpty());
    }

    @AfterClass
    public static void stopChain() throws Exception {
        for (RunningNode node : new RunningNode[] {a, b, c, d}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    public void t1_aServiceOnAReachesDThroughCWithAGrowingMetric() throws Exception {
        Route atD = d.routesTo("greeter").get(0);
        Route atC = c.routesTo("greeter").get(0);

        assertEquals("C", atD.gateway());
        assertEquals("A", atD.router());
        assertEquals(List.of("A", "B", "C", "D"), atD.path());
        assertTrue(atD.metric() + " > " + atC.metric(), atD.metric() > atC.metric());
        assertEquals(
                Set.of("A", "B", "C", "D"), d.nodes().stream().map(n -> n.id()).collect(Collectors.toSet()));
    }

    @Test
    public void t2_theGraphOfAShowsTheChain() throws Exception {
        Peer graph = a.graph();

        assertEquals("A", graph.node().id());
        Peer second = only(graph);
        assertEquals("B", second.node().id());
        Peer third = only(second);
        assertEquals("C", third.node().id());
        assertEquals("D", only(third).node().id());
        assertEquals(List.of(), only(third).peers());
    }

    @Test
    public void t3_anAddedServiceReachesDWithinASecondAndItsRemovalToo() throws Exception {
        a.setServices(List.of("greeter", "echo"));
        long added =
                Await.until("D learns echo", 1_000, () -> !d.routesTo("echo").isEmpty());

        a.setServices(List.of("greeter"));
        long removed =
                Await.until("D drops echo", 1_000, () -> d.routesTo("echo").isEmpty());

        System.out.printf("echo reached D in %d ms and left it in %d ms%n", added, removed);
    }

    @Test
    public void t4_aNodeWithAnotherTokenIsRefusedAndBothSidesSayWhy() throws Exception {
        try (RunningNode e = RunningNode.start("E", List.of("intruder"), "--token=another", "--nodes=" + a.address)) {
            e.awaitUp();
            Await.until("E logs the mismatch", 10_000, () -> e.log().contains("token mismatch"));
            Await.until("A logs the mismatch", 5_000, () -> a.log().contains("token mismatch"));
            assertTrue(e.log(), mentions(e.log(), "token mismatch", a.address));

            for (RunningNode node : List.of(a, b, c, d)) {
                assertEquals(node.id, List.of(), node.routesTo("intruder"));
                assertTrue(node.nodes().stream().noneMatch(n -> n.id().equals("E")));
            }
            assertEquals(List.of(), e.links());
            assertEquals(List.of("go.micro.network", "intruder"), e.services());
        }
    }

    @Test
    public void t5_killingAWithdrawsItsRoutesFromDWithinFiveSeconds() throws Exception {
        assertEquals(1, d.routesTo("greeter").size());

        a.kill();
        long millis = Await.until(
                "D drops greeter", 5_000, () -> d.routesTo("greeter").isEmpty());

        System.out.printf("greeter left D %d ms after A was killed%n", millis);
        Await.until("D forgets A", 10_000, () -> d.nodes().stream().noneMatch(n -> n.id().equals("A")));
    }

    private static Peer only(Peer peer) {
        assertEquals(peer.toString(), 1, peer.peers().size());
        return peer.peers().get(0);
    }

    /** Whether one line of {@code log} holds every one of {@code parts}. */
    static boolean mentions(String log, String... parts) {
        return log.lines().anyMatch(line -> java.util.Arrays.stream(parts).allMatch(line::contains));
    }
}
