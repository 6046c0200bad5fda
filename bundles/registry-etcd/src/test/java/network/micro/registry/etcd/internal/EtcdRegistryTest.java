package network.micro.registry.etcd.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

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
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The etcd registry against a real etcd, started by the test on loopback. Skipped where etcd is not installed. */
public class EtcdRegistryTest {

    private static final String PREFIX = "/micro/registry/";

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    private final List<EtcdRegistry> registries = new ArrayList<>();
    private final List<Registration> watches = new ArrayList<>();
    private EtcdServer etcd;
    private EtcdGateway client;

    @BeforeClass
    public static void etcdIsInstalled() {
        assumeTrue("etcd is not installed (Debian: etcd-server)", EtcdServer.binary() != null);
    }

    @Before
    public void startEtcd() throws Exception {
        etcd = new EtcdServer(folder.getRoot().toPath());
        etcd.start();
        client = new EtcdGateway(List.of(etcd.address()));
    }

    @After
    public void stopEverything() throws Exception {
        watches.forEach(Registration::close);
        registries.forEach(EtcdRegistry::close);
        etcd.close();
    }

    @Test
    public void readsGoMicroServicesAndRegistersItsOwn() throws Exception {
        client.put(PREFIX + "echo/echo-1", goMicro("echo", "1.2.0", "echo-1", "10.0.0.7:8080"), 0);

        BlockingQueue<List<Service>> updates =
                watch(registry("node-a", "greeter=127.0.0.1:9090", Duration.ofSeconds(30)));

        List<Service> services = await(updates, names("echo", "greeter"), Duration.ofSeconds(5));
        assertEquals(
                new Service(
                        "echo", "1.2.0", Map.of(), List.of(new ServiceInstance("echo-1", "10.0.0.7:8080", Map.of()))),
                services.get(0));
        assertEquals(
                List.of(new ServiceInstance("greeter-node-a-9090", "127.0.0.1:9090", Map.of())),
                services.get(1).instances());
        String value = client.range(PREFIX + "greeter/greeter-node-a-9090")
                .keys()
                .get(0)
                .value();
        assertTrue(value, value.contains("\"nodes\":[{\"id\":\"greeter-node-a-9090\",\"address\":\"127.0.0.1:9090\""));
    }

    @Test
    public void changesAreSeenWithinASecond() throws Exception {
        BlockingQueue<List<Service>> updates = watch(registry("node-a", "", Duration.ofSeconds(30)));
        await(updates, names(), Duration.ofSeconds(5));

        long start = System.nanoTime();
        client.put(PREFIX + "echo/echo-1", goMicro("echo", "", "echo-1", "10.0.0.7:8080"), 0);
        await(updates, names("echo"), Duration.ofSeconds(1));
        client.put(PREFIX + "echo/echo-2", goMicro("echo", "", "echo-2", "10.0.0.8:8080"), 0);
        List<Service> two = await(updates, names("echo"), Duration.ofSeconds(1));
        assertEquals(2, two.get(0).instances().size());
        registries.get(0).close();

        assertTrue("took " + (System.nanoTime() - start) / 1_000_000 + " ms", System.nanoTime() - start < 2e9);
    }

    @Test
    public void anInstanceWhoseLeaseExpiresIsRemoved() throws Exception {
        BlockingQueue<List<Service>> updates = watch(registry("node-a", "", Duration.ofSeconds(30)));
        EtcdRegistry dying = registry("node-b", "dying=127.0.0.1:9091", Duration.ofSeconds(2));
        await(updates, names("dying"), Duration.ofSeconds(5));

        dying.abandon();

        // etcd's shortest lease is about 2 s and it checks expiry every 500 ms.
        await(updates, names(), Duration.ofSeconds(6));
    }

    @Test
    public void aMalformedValueIsSkippedAndNothingElseIsLost() throws Exception {
        client.put(PREFIX + "broken/1", "{\"name\": \"broken\", \"nodes\": [", 0);
        client.put(PREFIX + "badport/1", goMicro("badport", "", "badport-1", "10.0.0.9:70000"), 0);
        client.put(PREFIX + "noaddress/1", "{\"name\": \"noaddress\", \"nodes\": [{\"id\": \"n-1\"}]}", 0);
        client.put(PREFIX + "echo/echo-1", goMicro("echo", "", "echo-1", "10.0.0.7:8080"), 0);

        BlockingQueue<List<Service>> updates = watch(registry("node-a", "", Duration.ofSeconds(30)));

        List<Service> services = await(updates, names("echo"), Duration.ofSeconds(5));
        assertEquals(1, services.get(0).instances().size());

        client.put(PREFIX + "echo/echo-2", "not json", 0);
        client.put(PREFIX + "greeter/greeter-1", goMicro("greeter", "", "greeter-1", "10.0.0.6:80"), 0);
        assertEquals(
                1,
                await(updates, names("echo", "greeter"), Duration.ofSeconds(1))
                        .get(0)
                        .instances()
                        .size());
    }

    @Test
    public void aRestartedEtcdIsReconciledAndTheLastServicesKeptMeanwhile() throws Exception {
        EtcdRegistry registry = registry("node-a", "greeter=127.0.0.1:9090", Duration.ofSeconds(30));
        BlockingQueue<List<Service>> updates = watch(registry);
        client.put(PREFIX + "legacy/legacy-1", goMicro("legacy", "", "legacy-1", "10.0.0.5:80"), 0);
        await(updates, names("greeter", "legacy"), Duration.ofSeconds(5));

        etcd.stop();
        Thread.sleep(700);
        assertEquals(
                List.of("greeter", "legacy"),
                registry.services().stream().map(Service::name).toList());

        // The new etcd starts empty: the registry must register again and forget what is gone.
        etcd.start();
        client.put(PREFIX + "echo/echo-1", goMicro("echo", "", "echo-1", "10.0.0.7:8080"), 0);
        await(updates, names("echo", "greeter"), Duration.ofSeconds(10));
        assertEquals(1, client.range(PREFIX + "greeter/").keys().size());
    }

    @Test
    public void servicesAreDroppedWhenTheGracePeriodEnds() throws Exception {
        EtcdSettings settings = settings("node-a", "", Duration.ofSeconds(30), Duration.ofSeconds(1));
        BlockingQueue<List<Service>> updates = watch(open(settings));
        client.put(PREFIX + "echo/echo-1", goMicro("echo", "", "echo-1", "10.0.0.7:8080"), 0);
        await(updates, names("echo"), Duration.ofSeconds(5));

        etcd.stop();

        await(updates, names(), Duration.ofSeconds(4));
    }

    private EtcdRegistry registry(String node, String register, Duration ttl) {
        return open(settings(node, register, ttl, Duration.ofSeconds(30)));
    }

    private EtcdSettings settings(String node, String register, Duration ttl, Duration grace) {
        return new EtcdSettings(
                List.of(etcd.address()),
                PREFIX,
                ServiceToRegister.parse(new String[] {register}),
                node,
                ttl,
                grace,
                Duration.ofMillis(100),
                Duration.ofMillis(500));
    }

    private EtcdRegistry open(EtcdSettings settings) {
        EtcdRegistry registry = new EtcdRegistry();
        registry.open(settings);
        registries.add(registry);
        return registry;
    }

    private BlockingQueue<List<Service>> watch(EtcdRegistry registry) {
        BlockingQueue<List<Service>> updates = new LinkedBlockingQueue<>();
        watches.add(registry.watch(updates::add));
        return updates;
    }

    private static Predicate<List<Service>> names(String... names) {
        return services -> services.stream().map(Service::name).toList().equals(List.of(names));
    }

    /** The first update that matches, waiting at most {@code timeout}. */
    private static List<Service> await(
            BlockingQueue<List<Service>> updates, Predicate<List<Service>> wanted, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Service> last = null;
        while (System.nanoTime() < deadline) {
            List<Service> next = updates.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next != null && wanted.test(next)) {
                return next;
            }
            last = next == null ? last : next;
        }
        throw new AssertionError("no matching update within " + timeout.toMillis() + " ms; last: " + last);
    }

    private static String goMicro(String name, String version, String id, String address) {
        return "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"metadata\":null,\"endpoints\":[],"
                + "\"nodes\":[{\"id\":\"" + id + "\",\"address\":\"" + address + "\",\"metadata\":{}}]}";
    }
}
