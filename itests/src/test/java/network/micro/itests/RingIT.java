package network.micro.itests;

import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.List;
import network.micro.api.Network;
import network.micro.api.Route;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Four nodes in a ring A-B-C-D-A: no route ever loops or exceeds 3 hops, and losing a node re-converges. */
public class RingIT {

    private static RunningNode a;
    private static RunningNode b;
    private static RunningNode c;
    private static RunningNode d;

    @BeforeClass
    public static void startRing() throws Exception {
        String addressOfD = "127.0.0.1:" + Distribution.freePort();
        a = RunningNode.start("A", List.of("greeter"), "--nodes=" + addressOfD);
        b = RunningNode.start("B", List.of(), "--nodes=" + a.address);
        c = RunningNode.start("C", List.of("echo"), "--nodes=" + b.address);
        d = RunningNode.startAt("D", addressOfD, List.of(), "--nodes=" + c.address);
        for (RunningNode node : List.of(a, b, c, d)) {
            node.awaitUp();
        }
        for (RunningNode node : List.of(a, b, c, d)) {
            Await.until(
                    node.id + " knows both services",
                    15_000,
                    () -> node.services().size() == 3);
        }
    }

    @AfterClass
    public static void stopRing() throws Exception {
        for (RunningNode node : new RunningNode[] {a, b, c, d}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    public void noRouteLoopsOrExceedsThreeHopsAndLosingANodeReconverges() throws Exception {
        for (int round = 0; round < 20; round++) {
            assertLoopFree();
            Thread.sleep(50);
        }
        assertTrue("C reaches greeter both ways", c.routesTo("greeter").size() >= 1);

        b.close();
        long millis = Await.until("C reaches greeter through D only", 5_000, () -> {
            List<Route> routes = c.routesTo("greeter");
            return !routes.isEmpty()
                    && routes.stream().allMatch(r -> r.gateway().equals("D"));
        });
        Await.until("A reaches echo through D only", 5_000, () -> {
            List<Route> routes = a.routesTo("echo");
            return !routes.isEmpty()
                    && routes.stream().allMatch(r -> r.gateway().equals("D"));
        });
        System.out.printf("the ring re-converged %d ms after B stopped%n", millis);
        for (int round = 0; round < 10; round++) {
            assertLoopFree(a, c, d);
            Thread.sleep(50);
        }
    }

    private static void assertLoopFree() throws Exception {
        assertLoopFree(a, b, c, d);
    }

    private static void assertLoopFree(RunningNode... nodes) throws Exception {
        for (RunningNode node : nodes) {
            for (Route route : node.routes()) {
                assertTrue(
                        node.id + ": " + route,
                        new HashSet<>(route.path()).size() == route.path().size());
                assertTrue(node.id + ": " + route, route.hops() <= Network.MAX_HOPS);
                assertTrue(
                        node.id + ": " + route,
                        route.path().get(route.path().size() - 1).equals(node.id));
            }
        }
    }
}
