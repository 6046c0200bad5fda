package network.micro.itests.proxy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import network.micro.api.Route;
import network.micro.itests.Await;
import network.micro.itests.RunningNode;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;

/**
 * Issue 4, acceptance 4: a diamond D-B-A, D-C-A with a slow HTTP server behind A. While 100 slow downloads run from D
 * to A, the middle node carrying most of them is killed (SIGKILL). Every stream either completes with every byte
 * right or ends in an error, none outlives its bound, and new calls succeed over the other middle node within
 * seconds.
 */
public class ProxyFailoverIT {

    private static final int STREAMS = 100;
    private static final int CHUNKS = 60;
    private static final int PAUSE_MILLIS = 100;
    /** A read that waits longer than this fails the stream: the bound on a hang. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    /** No stream may still run this long after the kill. */
    private static final long STREAM_BOUND_MILLIS = 25_000;

    /** How many streams took each path, by their Micro-Path header. */
    private static final Map<String, Long> PATHS = new java.util.concurrent.ConcurrentHashMap<>();

    private static HttpBackend slow;
    private static RunningNode a;
    private static RunningNode b;
    private static RunningNode c;
    private static RunningNode d;

    @Rule
    public final NodeLogs logs = new NodeLogs(() -> NodeLogs.of(a, b, c, d));

    @BeforeClass
    public static void startDiamond() throws Exception {
        slow = new HttpBackend("slow-A");
        a = RunningNode.start("A", List.of());
        new Services().with("slow", slow.address()).writeTo(a);
        b = RunningNode.start("B", List.of(), "--nodes=" + a.address);
        c = RunningNode.start("C", List.of(), "--nodes=" + a.address);
        d = RunningNode.start("D", List.of(), "--nodes=" + b.address + "," + c.address);
        for (RunningNode node : List.of(a, b, c, d)) {
            node.awaitUp();
        }
        Await.until("D reaches slow through B and through C", 20_000, () -> {
            List<Route> routes = d.routesTo("slow");
            return routes.stream().anyMatch(r -> r.path().equals(List.of("A", "B", "D")))
                    && routes.stream().anyMatch(r -> r.path().equals(List.of("A", "C", "D")));
        });
    }

    @AfterClass
    public static void stopAll() throws Exception {
        for (RunningNode node : new RunningNode[] {a, b, c, d}) {
            if (node != null) {
                node.close();
            }
        }
        if (slow != null) {
            slow.close();
        }
    }

    /** How one stream ended. */
    record Outcome(String path, boolean completed, String error, long endedAtNanos) {}

    @Test(timeout = 120_000)
    public void killingTheMiddleNodeEndsItsStreamsAndNewCallsTakeTheOtherPath() throws Exception {
        System.out.println("failover: D's routes to slow: " + d.routesTo("slow"));
        ExecutorService clients = Executors.newFixedThreadPool(STREAMS, runnable -> {
            Thread thread = new Thread(runnable, "slow-client");
            thread.setDaemon(true);
            return thread;
        });
        CountDownLatch answered = new CountDownLatch(STREAMS);
        List<Future<Outcome>> streams = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < STREAMS; i++) {
            streams.add(clients.submit(() -> download(answered)));
        }
        assertTrue("all streams answered", answered.await(20, TimeUnit.SECONDS));
        System.out.printf(
                "failover: %d streams answered within %d ms%n",
                STREAMS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        // Kill the middle node that carries most streams while they run (each takes about 6 s).
        Map<String, Long> byPath = new TreeMap<>(PATHS);
        String victimId = byPath.getOrDefault("D,B,A", 0L) >= byPath.getOrDefault("D,C,A", 0L) ? "B" : "C";
        RunningNode victim = victimId.equals("B") ? b : c;
        RunningNode survivor = victim == b ? c : b;
        long killed = System.nanoTime();
        victim.kill();

        // New calls go through the other middle node, while the old streams end.
        String survivingPath = "D," + survivor.id + ",A";
        long recoveredMillis = Await.until("a new call succeeds through " + survivor.id, 10_000, () -> {
            try {
                String answer = Clients.get(d.proxy, "slow", "/hello");
                return answer.startsWith("HTTP/1.1 200") && answer.contains("Micro-Path: " + survivingPath);
            } catch (IOException e) {
                return false;
            }
        });
        for (int i = 0; i < 10; i++) {
            String answer = Clients.get(d.proxy, "slow", "/hello");
            assertTrue(answer, answer.startsWith("HTTP/1.1 200") && answer.endsWith("hello from slow-A\n"));
        }

        clients.shutdown();
        assertTrue(
                "every stream ended within its bound",
                clients.awaitTermination(STREAM_BOUND_MILLIS + READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> stream : streams) {
            outcomes.add(stream.get());
        }

        long completed = outcomes.stream().filter(Outcome::completed).count();
        long lastEnd = outcomes.stream().mapToLong(Outcome::endedAtNanos).max().orElse(killed);
        long lastError = outcomes.stream()
                .filter(o -> !o.completed())
                .mapToLong(Outcome::endedAtNanos)
                .max()
                .orElse(killed);
        Map<String, Long> errors = outcomes.stream()
                .filter(o -> !o.completed())
                .collect(Collectors.groupingBy(Outcome::error, TreeMap::new, Collectors.counting()));
        System.out.printf(
                "failover: streams by path %s; killed %s; %d completed, %d failed %s; the last failed stream ended %d"
                        + " ms and the last stream %d ms after the kill; a new call succeeded through %s %d ms after"
                        + " the kill%n",
                byPath,
                victimId,
                completed,
                STREAMS - completed,
                errors,
                TimeUnit.NANOSECONDS.toMillis(lastError - killed),
                TimeUnit.NANOSECONDS.toMillis(lastEnd - killed),
                survivor.id,
                recoveredMillis);

        for (Outcome outcome : outcomes) {
            assertTrue(outcome.toString(), outcome.endedAtNanos() - killed < STREAM_BOUND_MILLIS * 1_000_000L);
            assertTrue("no wrong byte: " + outcome, !outcome.error().equals("wrong bytes"));
            // A stream the network lost must be told so, not left to the client's read timeout.
            assertTrue(
                    "the failure was reported, not timed out: " + outcome,
                    !outcome.error().equals("read timed out"));
            if (outcome.path().equals(survivingPath)) {
                assertTrue("a stream through the survivor completes: " + outcome, outcome.completed());
            }
        }
        assertEquals(STREAMS, outcomes.size());
        assertTrue(a.isAlive() && d.isAlive() && survivor.isAlive());
    }

    /** One slow download through D's proxy; completed only when every byte arrived and was right. */
    private static Outcome download(CountDownLatch answered) {
        String path = "";
        boolean counted = false;
        try (Socket socket = Clients.connect(d.proxy, READ_TIMEOUT_MILLIS)) {
            Clients.write(
                    socket,
                    "GET http://slow/slow?chunks=" + CHUNKS + "&ms=" + PAUSE_MILLIS
                            + " HTTP/1.1\r\nHost: slow\r\nConnection: close\r\n\r\n");
            InputStream in = socket.getInputStream();
            Clients.Head head = Clients.readHead(in);
            path = String.valueOf(head.header("Micro-Path"));
            PATHS.merge(path, 1L, Long::sum);
            answered.countDown();
            counted = true;
            if (head.status() != 200) {
                return new Outcome(path, false, "status " + head.status(), System.nanoTime());
            }
            long expected = (long) CHUNKS * HttpBackend.SLOW_CHUNK;
            Pattern.Check check = Pattern.read(in, expected);
            boolean complete = check.matches(expected) && head.contentLength() == expected;
            String error = complete ? "" : check.firstMismatch() >= 0 ? "wrong bytes" : "body cut short";
            return new Outcome(path, complete, error, System.nanoTime());
        } catch (SocketTimeoutException e) {
            return new Outcome(path, false, "read timed out", System.nanoTime());
        } catch (IOException e) {
            return new Outcome(path, false, e.getClass().getSimpleName(), System.nanoTime());
        } finally {
            if (!counted) {
                answered.countDown();
            }
        }
    }
}
