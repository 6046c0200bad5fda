package network.micro.registry.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import network.micro.api.Registration;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;
import network.micro.support.ServiceToRegister;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The mDNS registry against python3-zeroconf, a DNS-SD implementation that is not ours, running in a network
 * namespace the test creates and linked to the test by a veth pair. Skipped where the namespace cannot be made
 * (not root, no iproute2) or python3-zeroconf is not installed.
 */
public class MdnsInteropTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Duration SEEN = Duration.ofSeconds(10);
    private static final Duration GOODBYE = Duration.ofSeconds(15);
    private static final Duration STAYS_GONE = Duration.ofSeconds(5);

    @ClassRule
    public static final TemporaryFolder FOLDER = new TemporaryFolder();

    private static NetworkNamespace namespace;
    private static Path script;

    private final BlockingQueue<String> peerLines = new LinkedBlockingQueue<>();
    private final BlockingQueue<List<Service>> updates = new LinkedBlockingQueue<>();
    private MdnsRegistry registry;
    private Registration watch;
    private Process peer;
    private Writer peerInput;

    @BeforeClass
    public static void createNamespace() throws Exception {
        assumeTrue("python3-zeroconf is not installed", zeroconfInstalled());
        List<String> why = new ArrayList<>();
        namespace = NetworkNamespace.create(why);
        assumeTrue("cannot create a network namespace: " + why, namespace != null);
        script = FOLDER.getRoot().toPath().resolve("zeroconf_peer.py");
        try (InputStream in = MdnsInteropTest.class.getResourceAsStream("zeroconf_peer.py")) {
            Files.write(script, in.readAllBytes());
        }
    }

    @AfterClass
    public static void deleteNamespace() {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Before
    public void startPeer() throws Exception {
        peer = new ProcessBuilder(
                        namespace.command(PYTHON, script.toString(), namespace.peerAddress(), MdnsRecords.DEFAULT_TYPE))
                .redirectError(FOLDER.getRoot().toPath().resolve("peer.err").toFile())
                .start();
        peerInput = new OutputStreamWriter(peer.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readPeer, "zeroconf-peer-output");
        reader.setDaemon(true);
        reader.start();
        awaitPeer(line -> line.equals("READY"));
    }

    @After
    public void stopEverything() throws Exception {
        if (watch != null) {
            watch.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (peer != null) {
            peerInput.close();
            if (!peer.waitFor(5, TimeUnit.SECONDS)) {
                peer.destroyForcibly();
            }
        }
    }

    @Test
    public void anInstanceZeroconfAnnouncesAppears() throws Exception {
        open("");
        tell("register");

        List<Service> services = await(s -> names(s).equals(List.of("echo")), SEEN);
        assertEquals(
                new Service(
                        "echo",
                        "1.0",
                        Map.of(),
                        List.of(new ServiceInstance(
                                "pyecho", namespace.peerAddress() + ":7070", Map.of("zone", "namespace")))),
                services.get(0));
    }

    /**
     * The goodbye comes right after the instance was resolved, while JmDNS still asks for it: python-zeroconf then
     * sends a deferred answer with full TTLs after its goodbye, which JmDNS alone would take as the instance being
     * back (see {@link MdnsBrowser}).
     */
    @Test
    public void aGoodbyeFromZeroconfRemovesItsInstance() throws Exception {
        open("");
        tell("register");
        await(s -> names(s).equals(List.of("echo")), SEEN);

        tell("unregister");

        long start = System.nanoTime();
        await(s -> s.isEmpty(), GOODBYE);
        long removedMillis = (System.nanoTime() - start) / 1_000_000;
        // The deferred answer comes about a second after the goodbye, the peer's queries listing it as a known
        // answer a few seconds later: neither brings the instance back.
        List<Service> back = updates.poll(STAYS_GONE.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("removed " + removedMillis + " ms after the goodbye, then: " + back, null, back);
    }

    @Test
    public void anInstanceWeAnnounceIsSeenByZeroconfAndLeavesWithAGoodbye() throws Exception {
        open("greeter=" + namespace.hostAddress() + ":9090");

        String added = awaitPeer(line -> line.startsWith("ADD greeter-node-a-9090."));
        assertEquals(namespace.hostAddress() + ":9090 greeter", added.substring(added.indexOf(' ', 4) + 1));

        registry.close();
        registry = null;
        awaitPeer(line -> line.startsWith("REMOVE greeter-node-a-9090."));
    }

    private void open(String register) {
        registry = new MdnsRegistry();
        registry.open(new MdnsSettings(
                namespace.hostAddress(),
                MdnsRecords.DEFAULT_TYPE,
                ServiceToRegister.parse(new String[] {register}),
                "node-a"));
        watch = registry.watch(updates::add);
    }

    private void tell(String command) throws IOException {
        peerInput.write(command + "\n");
        peerInput.flush();
    }

    private void readPeer() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                peerLines.add(line);
            }
        } catch (IOException e) {
            // The peer ended.
        }
    }

    private String awaitPeer(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + SEEN.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = peerLines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && wanted.test(line)) {
                return line;
            }
            if (line != null) {
                seen.add(line);
            }
        }
        throw new AssertionError("the zeroconf peer said nothing matching within " + SEEN + "; it said " + seen);
    }

    private List<Service> await(Predicate<List<Service>> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Service> last = null;
        while (System.nanoTime() < deadline) {
            List<Service> next = updates.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next != null && wanted.test(next)) {
                return next;
            }
            last = next == null ? last : next;
        }
        throw new AssertionError("no matching update within " + timeout + "; last: " + last);
    }

    private static List<String> names(List<Service> services) {
        return services.stream().map(Service::name).toList();
    }

    private static boolean zeroconfInstalled() {
        try {
            Process check = new ProcessBuilder(PYTHON, "-c", "import zeroconf")
                    .redirectErrorStream(true)
                    .start();
            return check.waitFor(10, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
