package network.micro.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import network.micro.itests.Micro.Run;
import network.micro.itests.Micro.StreamCollector;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The distribution as a user runs it: unzip, start a node, ask it, edit its services, and get every error right. */
public class DistributionIT {

    private static Micro micro;
    private static Process node;
    private static StreamCollector nodeOutput;
    private static String proxy;
    private static long startMillis;

    @BeforeClass
    public static void startNode() throws Exception {
        micro = Micro.unzip();
        proxy = "127.0.0.1:" + Distribution.freePort();
        long start = System.nanoTime();
        node = micro.start("network", "--address=127.0.0.1:" + Distribution.freePort(), "--proxy-address=" + proxy);
        nodeOutput = new StreamCollector(node.getErrorStream());
        new StreamCollector(node.getInputStream());
        long deadline = System.currentTimeMillis() + 10_000;
        while (!servesViews()) {
            if (System.currentTimeMillis() > deadline || !node.isAlive()) {
                throw new AssertionError("the node did not serve its views: " + nodeOutput.soFar());
            }
            Thread.sleep(20);
        }
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static boolean servesViews() {
        try {
            RunningNode.fetch("node", proxy, "/services");
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @AfterClass
    public static void stopNode() throws Exception {
        if (node != null) {
            node.destroy();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                throw new AssertionError("the node did not stop within 10 s of SIGTERM");
            }
        }
    }

    @Test
    public void theNodeStartsAndServesItsViewsWithinFiveSeconds() {
        System.out.printf("the node served its views %d ms after bin/micro started%n", startMillis);
        assertTrue("started in " + startMillis + " ms", startMillis < 5_000);
    }

    @Test
    public void theShippedExampleServiceIsListed() throws Exception {
        Run services = query("services");
        Run routes = query("routes");
        Run nodes = query("nodes");
        Run graph = query("graph");

        assertEquals("go.micro.network\ngreeter\n", services.out());
        assertTrue(
                routes.out(), routes.out().matches("SERVICE +ADDRESS +GATEWAY +ROUTER +NETWORK +METRIC +LINK\n(?s).*"));
        assertTrue(routes.out(), hasRow(routes.out(), "greeter +127\\.0\\.0\\.1:9090 +- +\\S+ +go\\.micro +1 +local"));
        assertTrue(nodes.out(), nodes.out().startsWith("ID"));
        assertEquals(2, nodes.out().split("\n").length);
        assertEquals(1, graph.out().split("\n").length);
        assertTrue(query("routes", "--json").out().contains("\"service\": \"greeter\""));
    }

    @Test
    public void anEditOfTheServicesFileIsServedWithoutARestart() throws Exception {
        Path file = micro.home().resolve("conf/services.json");
        String original = Files.readString(file);
        try {
            long written = System.nanoTime();
            writeServices(file, "greeter", "echo");
            long askedAt = awaitServices("echo\ngo.micro.network\ngreeter\n");
            long millis = TimeUnit.NANOSECONDS.toMillis(askedAt - written);
            System.out.printf("an edit of the services file was served %d ms after it was written%n", millis);
            assertTrue("the edit was served " + millis + " ms after it was written", millis < 1_000);
            Run routes = query("routes");
            assertTrue(routes.out(), hasRow(routes.out(), "echo +127\\.0\\.0\\.1:9101 .*"));

            writeServices(file, "echo");
            awaitServices("echo\ngo.micro.network\n");
        } finally {
            Files.writeString(file, original);
            awaitServices("go.micro.network\ngreeter\n");
        }
    }

    @Test
    public void aMalformedServicesFileIsReportedAndTheLastGoodSetStays() throws Exception {
        Path file = micro.home().resolve("conf/services.json");
        String original = Files.readString(file);
        try {
            Files.writeString(file, "{\"services\": [\n  {\"name\": \"broken\",,\n]}\n");
            Path log = micro.home().resolve("log/micro.log");
            await("the error is logged", () -> Files.readString(log).contains("malformed JSON"));
            String logged = Files.readString(log);
            assertTrue(logged, logged.contains(file.toString() + ": malformed JSON"));
            assertTrue(logged, logged.contains("line 2"));
            assertEquals("go.micro.network\ngreeter\n", query("services").out());
        } finally {
            Files.writeString(file, original);
        }
        writeServices(file, "fixed");
        awaitServices("fixed\ngo.micro.network\n");
        Files.writeString(file, original);
        awaitServices("go.micro.network\ngreeter\n");
    }

    @Test
    public void queriesAnswerInUnderASecond() throws Exception {
        long[] millis = new long[5];
        for (int i = 0; i < millis.length; i++) {
            Run run = query("routes");
            assertEquals(run.err(), 0, run.exit());
            millis[i] = run.millis();
        }
        Arrays.sort(millis);
        System.out.printf("micro network routes took %s ms (median %d)%n", Arrays.toString(millis), millis[2]);
        assertTrue("median " + millis[2] + " ms of " + Arrays.toString(millis), millis[2] < 1_000);
    }

    @Test
    public void anUnknownFlagPrintsUsageAndExitsTwo() throws Exception {
        Run run = micro.run("network", "--bogus=1");

        assertEquals(2, run.exit());
        assertTrue(run.err(), run.err().startsWith("micro: unknown flag --bogus\nusage: micro network"));
        assertEquals(2, micro.run("network", "routes", "--bogus").exit());
    }

    @Test
    public void anUnknownSubcommandPrintsUsageAndExitsTwo() throws Exception {
        Run run = micro.run("network", "peers");

        assertEquals(2, run.exit());
        assertTrue(run.err(), run.err().startsWith("micro: unknown subcommand peers"));
        assertTrue(run.err(), run.err().contains("usage: micro network"));
        assertEquals(2, micro.run("tunnel").exit());
    }

    @Test
    public void aBadAddressIsAUsageError() throws Exception {
        Run run = micro.run("network", "--address=nowhere");

        assertEquals(2, run.exit());
        assertTrue(run.err(), run.err().startsWith("micro: --address: address \"nowhere\" has no port"));
    }

    @Test
    public void aPortInUseIsNamedAndExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run run = micro.run("network", "--address=127.0.0.1:" + port, "--proxy-address=127.0.0.1:0");

            assertEquals(run.err(), 1, run.exit());
            assertTrue(run.err(), run.err().startsWith("micro: port " + port + " is already in use"));
            assertEquals(run.err(), 1, run.err().split("\n").length);
        }
    }

    @Test
    public void askingANodeThatIsNotRunningFailsWithinTwoSeconds() throws Exception {
        String nowhere = "127.0.0.1:" + Distribution.freePort();

        Run run = micro.run("network", "routes", "--proxy-address=" + nowhere);

        assertEquals(1, run.exit());
        assertTrue(run.err(), run.err().startsWith("micro: no node answers at " + nowhere));
        assertEquals(run.err(), 1, run.err().split("\n").length);
        assertTrue(run.millis() + " ms", run.millis() < 2_000);
    }

    private static boolean hasRow(String table, String regex) {
        return table.lines().anyMatch(line -> line.matches(regex));
    }

    private static Run query(String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "network";
        System.arraycopy(args, 0, command, 1, args.length);
        command[command.length - 1] = "--proxy-address=" + proxy;
        return micro.run(command);
    }

    /** Waits until the node lists {@code expected}; returns when the query that first saw it was sent. */
    private static long awaitServices(String expected) throws Exception {
        long[] askedAt = new long[1];
        await("services become " + expected.replace("\n", " "), () -> {
            askedAt[0] = System.nanoTime();
            return query("services").out().equals(expected);
        });
        return askedAt[0];
    }

    private static void writeServices(Path file, String... names) throws IOException {
        StringBuilder json = new StringBuilder("{\"services\": [");
        for (int i = 0; i < names.length; i++) {
            json.append(i == 0 ? "" : ", ")
                    .append("{\"name\": \"")
                    .append(names[i])
                    .append("\", \"instances\": [{\"id\": \"1\", \"address\": \"127.0.0.1:910")
                    .append(i)
                    .append("\"}]}");
        }
        Files.writeString(file, json.append("]}\n"), StandardCharsets.UTF_8);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.currentTimeMillis() + 3_000;
        while (!check.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + ": not within 3 s; node said: " + nodeOutput.soFar());
            }
            Thread.sleep(20);
        }
    }
}
