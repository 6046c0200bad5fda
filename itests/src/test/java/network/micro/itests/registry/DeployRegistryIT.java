package network.micro.itests.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import network.micro.api.LinkInfo;
import network.micro.api.Route;
import network.micro.itests.Await;
import network.micro.itests.Distribution;
import network.micro.itests.RunningNode;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Issue 5, acceptance 5: with the distribution as a user runs it, the etcd registry adapter copied from
 * {@code bundle/registry/} into {@code deploy/} starts (File Install polls every second) and its routes appear; the
 * jar deleted, the adapter stops and its routes go. The node keeps running and its link to a second node stays up
 * throughout. Needs etcd (Debian: etcd-server), started by the test on loopback; skipped where it is not installed.
 */
public class DeployRegistryIT {

    private static final String PREFIX = "/micro/registry/";
    private static final String SERVICE = "deployed";
    private static final String INSTANCE = "127.0.0.1:7777";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private Path folder;
    private Process etcd;
    private String etcdAddress;
    private RunningNode node;
    private RunningNode peer;

    @Before
    public void startEtcdAndTwoNodes() throws Exception {
        Path binary = etcdBinary();
        assumeTrue("etcd is not installed (Debian: etcd-server)", binary != null);
        folder = Files.createTempDirectory("micro-deploy-it-");
        etcd = startEtcd(binary);
        put(PREFIX + SERVICE + "/" + SERVICE + "-1", goMicro(SERVICE, "1.0.0", SERVICE + "-1", INSTANCE));

        node = RunningNode.start("deploy-node", List.of("greeter")).awaitUp();
        peer = RunningNode.start("deploy-peer", List.of("echo"), "--nodes=" + node.address)
                .awaitUp();
        Await.until("the link between the nodes", 15_000, () -> link(node) != null);
        Await.until(
                "the peer's greeter route",
                15_000,
                () -> !peer.routesTo("greeter").isEmpty());
    }

    @After
    public void stopEverything() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (node != null) {
            node.close();
        }
        if (etcd != null) {
            etcd.destroyForcibly();
            etcd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    public void anAdapterDroppedIntoDeployStartsAndItsRemovalStopsIt() throws Exception {
        LinkInfo linkBefore = link(node);
        Path home = node.micro().home();
        assertTrue("no registry adapter of etcd runs yet", etcdRoutes(node).isEmpty());
        Files.writeString(
                home.resolve("conf/network.micro.registry.etcd.cfg"),
                "# written by DeployRegistryIT\naddresses = " + etcdAddress + "\n",
                StandardCharsets.UTF_8);

        Path jar = home.resolve("deploy/network.micro.registry.etcd.jar");
        Path partial = home.resolve("deploy/network.micro.registry.etcd.jar.part");
        Files.copy(Distribution.registry("etcd"), partial);
        Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE);
        long appeared = Await.until(
                "the etcd route at the node", 15_000, () -> !etcdRoutes(node).isEmpty());
        Route route = etcdRoutes(node).get(0);
        assertEquals(INSTANCE, route.address());
        assertTrue(route.isLocal());
        long advertised = Await.until(
                "the etcd route at the peer",
                10_000,
                () -> !peer.routesTo(SERVICE).isEmpty());
        System.out.println("DeployRegistryIT: route at the node " + appeared + " ms after the drop," + " at the peer "
                + advertised + " ms later");
        assertUntouched(linkBefore);

        Files.delete(jar);
        long gone = Await.until(
                "the etcd route gone at the node",
                15_000,
                () -> etcdRoutes(node).isEmpty());
        long withdrawn = Await.until(
                "the etcd route gone at the peer",
                10_000,
                () -> peer.routesTo(SERVICE).isEmpty());
        System.out.println("DeployRegistryIT: route gone at the node " + gone + " ms after the delete,"
                + " at the peer " + withdrawn + " ms later");
        assertUntouched(linkBefore);
        assertEquals(
                "the static registry's route stays", 1, node.routesTo("greeter").size());
    }

    private void assertUntouched(LinkInfo linkBefore) throws IOException {
        assertTrue("the node runs", node.isAlive());
        LinkInfo now = link(node);
        assertNotNull("the link to the peer is still there", now);
        assertEquals("up", now.state());
        assertEquals("the link was not replaced", linkBefore.upSince(), now.upSince());
        assertEquals(List.of("echo", "go.micro.network", "greeter"), services(node));
    }

    private static List<String> services(RunningNode at) throws IOException {
        return at.services().stream().filter(s -> !s.equals(SERVICE)).toList();
    }

    private static List<Route> etcdRoutes(RunningNode at) throws IOException {
        return at.routesTo(SERVICE).stream()
                .filter(r -> "etcd".equals(r.registry()))
                .toList();
    }

    private LinkInfo link(RunningNode at) throws IOException {
        return at.links().stream()
                .filter(l -> l.peer().equals(peer == null ? "deploy-peer" : peer.id) && "up".equals(l.state()))
                .findFirst()
                .orElse(null);
    }

    private Process startEtcd(Path binary) throws Exception {
        etcdAddress = "127.0.0.1:" + loopbackPort();
        String peerUrl = "http://127.0.0.1:" + loopbackPort();
        Process process = new ProcessBuilder(List.of(
                        binary.toString(),
                        "--name=deploy-it",
                        "--data-dir=" + folder.resolve("etcd-data"),
                        "--listen-client-urls=http://" + etcdAddress,
                        "--advertise-client-urls=http://" + etcdAddress,
                        "--listen-peer-urls=" + peerUrl,
                        "--initial-advertise-peer-urls=" + peerUrl,
                        "--initial-cluster=deploy-it=" + peerUrl))
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("etcd.log").toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited with " + process.exitValue() + "; see " + folder);
            }
            try {
                if (http("/health", null).contains("\"true\"")) {
                    return process;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IOException("etcd did not become healthy within " + START_TIMEOUT + "; see " + folder);
    }

    /** Puts a key through etcd's JSON gateway, as go-micro's etcd registry would have written it. */
    private void put(String key, String value) throws Exception {
        String body = "{\"key\": \"" + base64(key) + "\", \"value\": \"" + base64(value) + "\"}";
        String reply = http("/v3/kv/put", body);
        assertTrue(reply, reply.contains("\"header\""));
    }

    private String http(String path, String body) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(500))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + etcdAddress + path))
                .timeout(Duration.ofSeconds(2));
        if (body != null) {
            request.POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A service as go-micro's registry encodes it: one node per key. */
    private static String goMicro(String name, String version, String id, String address) {
        return "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"metadata\":null,\"endpoints\":[],"
                + "\"nodes\":[{\"id\":\"" + id + "\",\"address\":\"" + address + "\",\"metadata\":{}}]}";
    }

    private static Path etcdBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "etcd");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static int loopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
