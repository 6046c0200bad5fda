package network.micro.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import network.micro.itests.Micro.Run;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Three clouds as three network namespaces: the middle one reaches both others, the outer two cannot reach each
 * other. The outer nodes still learn each other's services, through the middle one. Needs root and iproute2.
 */
public class ThreeCloudsIT {

    private static final String PREFIX = "mnit";
    private static final String EAST = PREFIX + "-east";
    private static final String MIDDLE = PREFIX + "-mid";
    private static final String WEST = PREFIX + "-west";

    private static final List<Process> nodes = new ArrayList<>();
    private static Micro micro;

    @BeforeClass
    public static void makeClouds() throws Exception {
        assumeTrue("needs root for ip netns", "root".equals(System.getProperty("user.name")));
        removeClouds();
        for (String namespace : List.of(EAST, MIDDLE, WEST)) {
            ip("netns", "add", namespace);
            ip("-n", namespace, "link", "set", "lo", "up");
        }
        wire(EAST, "10.77.1.1", MIDDLE, "10.77.1.2", "e");
        wire(MIDDLE, "10.77.2.2", WEST, "10.77.2.3", "w");
        micro = Micro.unzip();
    }

    @AfterClass
    public static void removeClouds() throws Exception {
        for (Process node : nodes) {
            node.destroy();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
        for (String namespace : List.of(EAST, MIDDLE, WEST)) {
            run(List.of("ip", "netns", "del", namespace));
        }
    }

    @Test
    public void theOuterCloudsLearnEachOthersServicesThroughTheMiddle() throws Exception {
        assertNotEquals("east cannot reach west", 0, exec(EAST, "bash", "-c", "exec 3<>/dev/tcp/10.77.2.3/8085"));

        String servicesOfEast = write("east", "greeter");
        String servicesOfWest = write("west", "echo");
        start(
                EAST,
                "--id=east",
                "--address=10.77.1.1:8085",
                "--nodes=10.77.1.2:8085",
                "--registry-address=" + servicesOfEast);
        start(MIDDLE, "--id=middle", "--address=:8085", "--registry-address=" + write("middle"));
        start(
                WEST,
                "--id=west",
                "--address=10.77.2.3:8085",
                "--nodes=10.77.2.2:8085",
                "--registry-address=" + servicesOfWest);

        Await.until(
                "east learns echo",
                20_000,
                () -> query(EAST, "services").out().equals("echo\ngo.micro.network\ngreeter\n"));
        Await.until(
                "west learns greeter",
                5_000,
                () -> query(WEST, "services").out().equals("echo\ngo.micro.network\ngreeter\n"));
        String routes = query(EAST, "routes").out();
        assertEquals(
                routes,
                1,
                routes.lines()
                        .filter(l -> l.startsWith("echo ") && l.contains(" middle "))
                        .count());
    }

    private static Run query(String namespace, String view) throws Exception {
        List<String> command = List.of(
                "ip",
                "netns",
                "exec",
                namespace,
                micro.home().resolve("bin/micro").toString(),
                "network",
                view,
                "--proxy-address=127.0.0.1:8081");
        ProcessBuilder builder = new ProcessBuilder(command);
        Process process = builder.start();
        Micro.StreamCollector out = new Micro.StreamCollector(process.getInputStream());
        Micro.StreamCollector err = new Micro.StreamCollector(process.getErrorStream());
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), out.text(), err.text(), 0);
    }

    private static void start(String namespace, String... flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                namespace,
                micro.home().resolve("bin/micro").toString(),
                "network",
                "--proxy-address=127.0.0.1:8081"));
        command.addAll(List.of(flags));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        new Micro.StreamCollector(process.getInputStream());
        nodes.add(process);
    }

    /** A services file of its own for one node. */
    private static String write(String node, String... services) throws IOException {
        java.nio.file.Path file = micro.home().resolve("conf/services-" + node + ".json");
        RunningNode.writeServices(file, node, List.of(services));
        return file.toString();
    }

    private static void wire(String left, String leftAddress, String right, String rightAddress, String name)
            throws Exception {
        String leftEnd = PREFIX + "-" + name + "0";
        String rightEnd = PREFIX + "-" + name + "1";
        ip("link", "add", leftEnd, "type", "veth", "peer", "name", rightEnd);
        ip("link", "set", leftEnd, "netns", left);
        ip("link", "set", rightEnd, "netns", right);
        ip("-n", left, "addr", "add", leftAddress + "/24", "dev", leftEnd);
        ip("-n", right, "addr", "add", rightAddress + "/24", "dev", rightEnd);
        ip("-n", left, "link", "set", leftEnd, "up");
        ip("-n", right, "link", "set", rightEnd, "up");
    }

    private static int exec(String namespace, String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("timeout", "3", "ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return run(full);
    }

    private static void ip(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        int exit = run(command);
        if (exit != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + exit);
        }
    }

    private static int run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        new Micro.StreamCollector(process.getInputStream());
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
