package network.micro.itests.proxy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import network.micro.itests.Await;
import network.micro.itests.Distribution;
import network.micro.itests.RunningNode;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Issue 4, acceptance 2: a 1 GiB upload and a 1 GiB download through three hops (D-C-B-A) arrive byte for byte,
 * with every node's JVM limited to 256 MiB of heap (and so, by default, of direct memory too). A node started with
 * {@code -XX:+ExitOnOutOfMemoryError} by {@code bin/micro} that needed more would exit, so all four must be alive
 * afterwards. The data is made on the fly and compared as it streams; nothing holds it whole.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ProxyBulkIT {

    private static final long GIB = 1L << 30;
    private static final String HEAP = "-Xmx256m";
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private static HttpBackend web;
    private static RunningNode a;
    private static RunningNode b;
    private static RunningNode c;
    private static RunningNode d;

    @Rule
    public final NodeLogs logs = new NodeLogs(() -> NodeLogs.of(a, b, c, d));

    @BeforeClass
    public static void startChainWithSmallHeaps() throws Exception {
        web = new HttpBackend("bulk-A");
        Map<String, String> environment = Map.of("MICRO_JAVA_OPTS", HEAP);
        a = RunningNode.startAt("A", freeAddress(), environment, List.of());
        new Services().with("bulk", web.address()).writeTo(a);
        b = RunningNode.startAt("B", freeAddress(), environment, List.of(), "--nodes=" + a.address);
        c = RunningNode.startAt("C", freeAddress(), environment, List.of(), "--nodes=" + b.address);
        d = RunningNode.startAt("D", freeAddress(), environment, List.of(), "--nodes=" + c.address);
        for (RunningNode node : List.of(a, b, c, d)) {
            node.awaitUp();
        }
        Await.until(
                "D learns bulk three hops away",
                20_000,
                () -> d.routesTo("bulk").stream().anyMatch(r -> r.path().equals(List.of("A", "B", "C", "D"))));
    }

    @AfterClass
    public static void stopAll() throws Exception {
        for (RunningNode node : new RunningNode[] {a, b, c, d}) {
            if (node != null) {
                node.close();
            }
        }
        if (web != null) {
            web.close();
        }
    }

    @Test(timeout = 240_000)
    public void t1_oneGibibyteUploadArrivesByteForByteThroughThreeHops() throws Exception {
        HttpURLConnection connection = open("/upload");
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(GIB);
        long start = System.nanoTime();
        long sent;
        try (OutputStream out = connection.getOutputStream()) {
            sent = Pattern.write(out, GIB);
        }
        assertEquals(200, connection.getResponseCode());
        String answer;
        try (InputStream in = connection.getInputStream()) {
            answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report("upload", seconds);

        assertEquals(
                "bytes, crc32 and first wrong offset (-1: none) at A",
                GIB + " " + Long.toHexString(sent) + " -1\n",
                answer);
        assertEquals("D,C,B,A", connection.getHeaderField("Micro-Path"));
        assertAllAlive();
    }

    @Test(timeout = 240_000)
    public void t2_oneGibibyteDownloadArrivesByteForByteThroughThreeHops() throws Exception {
        HttpURLConnection connection = open("/download?bytes=" + GIB);
        long start = System.nanoTime();
        assertEquals(200, connection.getResponseCode());
        assertEquals("D,C,B,A", connection.getHeaderField("Micro-Path"));
        Pattern.Check check;
        try (InputStream in = connection.getInputStream()) {
            check = Pattern.read(in, Long.MAX_VALUE);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report("download", seconds);

        assertTrue(check.toString(), check.matches(GIB));
        assertEquals(Pattern.crc(GIB), check.crc());
        assertAllAlive();
    }

    @Test(timeout = 120_000)
    public void t3_baselineTheSameDownloadWithoutTheNetwork() throws Exception {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create("http://" + web.address() + "/download?bytes=" + GIB)
                        .toURL()
                        .openConnection(Proxy.NO_PROXY);
        connection.setReadTimeout(READ_TIMEOUT_MILLIS);
        long start = System.nanoTime();
        Pattern.Check check;
        try (InputStream in = connection.getInputStream()) {
            check = Pattern.read(in, Long.MAX_VALUE);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "bulk: 1 GiB download straight from the server, no proxy (baseline): %.1f s, %.0f MiB/s%n",
                seconds, 1024 / seconds);
        assertTrue(check.toString(), check.matches(GIB));
    }

    /** A connection through D's proxy, as an HTTP forward proxy, to the service bulk. */
    private static HttpURLConnection open(String path) throws IOException {
        InetSocketAddress proxy = Clients.address(d.proxy);
        HttpURLConnection connection = (HttpURLConnection)
                URI.create("http://bulk" + path).toURL().openConnection(new Proxy(Proxy.Type.HTTP, proxy));
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(READ_TIMEOUT_MILLIS);
        return connection;
    }

    private static void report(String what, double seconds) throws IOException {
        StringBuilder memory = new StringBuilder();
        for (RunningNode node : List.of(a, b, c, d)) {
            memory.append(' ')
                    .append(node.id)
                    .append('=')
                    .append(peakResidentMib(node))
                    .append("MiB");
        }
        System.out.printf(
                "bulk: 1 GiB %s through D-C-B-A in %.1f s: %.0f MiB/s (nodes run with %s; peak resident set:%s)%n",
                what, seconds, 1024 / seconds, HEAP, memory);
    }

    /** The node's peak resident set, from {@code /proc}; -1 where there is none. */
    private static long peakResidentMib(RunningNode node) throws IOException {
        Path status = Path.of("/proc/" + node.pid() + "/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private static void assertAllAlive() throws IOException {
        for (RunningNode node : List.of(a, b, c, d)) {
            assertTrue(node.id + " is alive: " + node.log(), node.isAlive());
            assertFalse(node.id + ": " + node.log(), node.log().contains("OutOfMemoryError"));
            assertFalse(node.id + " still serves its views", node.services().isEmpty());
        }
    }

    private static String freeAddress() throws IOException {
        return "127.0.0.1:" + Distribution.freePort();
    }
}
