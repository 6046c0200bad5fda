package network.micro.registry.consul.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import network.micro.api.Registration;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;
import network.micro.support.ServiceToRegister;
import org.junit.After;
import org.junit.Test;

/** The Consul registry against {@link FakeConsul}, which follows Consul's documented HTTP API. */
public class ConsulRegistryTest {

    private final List<ConsulRegistry> registries = new ArrayList<>();
    private final List<Registration> watches = new ArrayList<>();
    private final List<FakeConsul> servers = new ArrayList<>();

    @After
    public void stopEverything() {
        watches.forEach(Registration::close);
        registries.forEach(ConsulRegistry::close);
        servers.forEach(FakeConsul::close);
    }

    @Test
    public void readsThePassingInstancesOfEveryService() throws Exception {
        FakeConsul consul = consul(0, 100, null);
        consul.put(FakeConsul.REDIS_ENTRY);
        consul.put(entry("web-1", "web", "10.0.0.2", 8080, "passing"));
        consul.put(entry("web-2", "web", "", 8081, "critical"));

        BlockingQueue<List<Service>> updates = watch(registry(consul, null, ""));

        List<Service> services = await(updates, names("redis", "web"), Duration.ofSeconds(3));
        assertEquals(
                new Service(
                        "redis",
                        "",
                        Map.of(),
                        List.of(new ServiceInstance("redis", "10.1.10.12:8000", Map.of("redis_version", "4.0")))),
                services.get(0));
        assertEquals(List.of("web-1"), ids(services.get(1)));
    }

    @Test
    public void blockingQueriesDeliverChangesWithinASecond() throws Exception {
        FakeConsul consul = consul(0, 100, null);
        consul.put(entry("web-1", "web", "10.0.0.2", 8080, "passing"));
        BlockingQueue<List<Service>> updates = watch(registry(consul, null, ""));
        await(updates, names("web"), Duration.ofSeconds(3));

        consul.put(entry("web-2", "web", "10.0.0.3", 8080, "passing"));
        assertEquals(
                List.of("web-1", "web-2"),
                ids(await(updates, names("web"), Duration.ofSeconds(1)).get(0)));
        consul.status("web-1", "critical");
        assertEquals(
                List.of("web-2"),
                ids(await(updates, instances(1), Duration.ofSeconds(1)).get(0)));
        consul.put(entry("db-1", "db", "10.0.0.4", 5432, "passing"));
        await(updates, names("db", "web"), Duration.ofSeconds(1));
        consul.remove("db-1");
        await(updates, names("web"), Duration.ofSeconds(1));

        List<String> blocking = consul.requests().stream()
                .filter(request -> request.startsWith("GET /v1/health/service/web?passing=true&index="))
                .toList();
        assertFalse("no blocking query of web was made", blocking.isEmpty());
        assertTrue(blocking.get(0), blocking.get(0).endsWith("&wait=2s"));
    }

    @Test
    public void registersWithATtlCheckKeptPassingAndDeregistersOnClose() throws Exception {
        FakeConsul consul = consul(0, 100, null);
        ConsulRegistry registry = registry(consul, null, "greeter=127.0.0.1:9090");
        BlockingQueue<List<Service>> updates = watch(registry);

        List<Service> services = await(updates, names("greeter"), Duration.ofSeconds(3));
        assertEquals(
                List.of(new ServiceInstance("greeter-node-a-9090", "127.0.0.1:9090", Map.of())),
                services.get(0).instances());
        awaitTrue(() -> consul.passes("service:greeter-node-a-9090") >= 2, Duration.ofSeconds(3));

        registry.close();
        assertFalse(consul.has("greeter-node-a-9090"));
    }

    @Test
    public void registersAgainWhenTheAgentForgetsItsServices() throws Exception {
        FakeConsul consul = consul(0, 100, null);
        BlockingQueue<List<Service>> updates = watch(registry(consul, null, "greeter=127.0.0.1:9090"));
        await(updates, names("greeter"), Duration.ofSeconds(3));

        consul.forgetAll();

        await(updates, names(), Duration.ofSeconds(1));
        await(updates, names("greeter"), Duration.ofSeconds(3));
    }

    @Test
    public void sendsTheAclToken() throws Exception {
        FakeConsul consul = consul(0, 100, "s3cr3t");
        consul.put(entry("web-1", "web", "10.0.0.2", 8080, "passing"));

        BlockingQueue<List<Service>> updates = watch(registry(consul, "s3cr3t", "greeter=127.0.0.1:9090"));

        await(updates, names("greeter", "web"), Duration.ofSeconds(3));
    }

    @Test
    public void malformedEntriesAreSkippedAndNothingElseIsLost() throws Exception {
        FakeConsul consul = consul(0, 100, null);
        consul.put(entry("web-1", "web", "10.0.0.2", 8080, "passing"));
        consul.put(entry("web-2", "web", "10.0.0.3", 70000, "passing"));
        consul.put(entry("web-3", "web", "", 8080, "passing").replace("\"Address\":\"10.9.9.9\"", "\"Address\":\"\""));
        consul.rawBody("broken", "[{\"Service\": ");

        BlockingQueue<List<Service>> updates = watch(registry(consul, null, ""));

        List<Service> services = await(updates, names("web"), Duration.ofSeconds(3));
        assertEquals(List.of("web-1"), ids(services.get(0)));
        consul.put(entry("db-1", "db", "10.0.0.4", 5432, "passing"));
        await(updates, names("db", "web"), Duration.ofSeconds(1));
    }

    @Test
    public void aLostConsulKeepsTheServicesThenReconcilesWhenBack() throws Exception {
        FakeConsul consul = consul(0, 100, null);
        consul.put(entry("web-1", "web", "10.0.0.2", 8080, "passing"));
        consul.put(entry("old-1", "old", "10.0.0.5", 80, "passing"));
        ConsulRegistry registry = registry(consul, null, "greeter=127.0.0.1:9090");
        BlockingQueue<List<Service>> updates = watch(registry);
        await(updates, names("greeter", "old", "web"), Duration.ofSeconds(3));

        consul.close();
        Thread.sleep(700);
        assertEquals(3, registry.services().size());

        // Back with its index behind the one last seen, without the old service and the registration.
        FakeConsul back = consul(consul.port(), 5, null);
        back.put(entry("web-1", "web", "10.0.0.2", 8080, "passing"));
        back.put(entry("db-1", "db", "10.0.0.4", 5432, "passing"));
        await(updates, names("db", "greeter", "web"), Duration.ofSeconds(5));
    }

    @Test
    public void servicesAreDroppedWhenTheGracePeriodEnds() throws Exception {
        FakeConsul consul = consul(0, 100, null);
        consul.put(entry("web-1", "web", "10.0.0.2", 8080, "passing"));
        ConsulRegistry registry = open(settings(consul, null, "", Duration.ofSeconds(1)));
        BlockingQueue<List<Service>> updates = watch(registry);
        await(updates, names("web"), Duration.ofSeconds(3));

        consul.close();

        await(updates, names(), Duration.ofSeconds(4));
    }

    @Test
    public void theIndexStartsAgainWhenItGoesBackwards() {
        assertEquals(0, ConsulSync.nextIndex(50, 10));
        assertEquals(1, ConsulSync.nextIndex(0, 0));
        assertEquals(60, ConsulSync.nextIndex(50, 60));
        assertEquals(50, ConsulSync.nextIndex(50, 50));
    }

    private FakeConsul consul(int port, long index, String token) throws Exception {
        FakeConsul consul = new FakeConsul(port, index, token);
        servers.add(consul);
        return consul;
    }

    private ConsulRegistry registry(FakeConsul consul, String token, String register) {
        return open(settings(consul, token, register, Duration.ofSeconds(30)));
    }

    private static ConsulSettings settings(FakeConsul consul, String token, String register, Duration grace) {
        return new ConsulSettings(
                List.of(consul.address()),
                token,
                ServiceToRegister.parse(new String[] {register}),
                "node-a",
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                grace,
                Duration.ofMillis(100),
                Duration.ofMillis(500));
    }

    private ConsulRegistry open(ConsulSettings settings) {
        ConsulRegistry registry = new ConsulRegistry();
        registry.open(settings);
        registries.add(registry);
        return registry;
    }

    private BlockingQueue<List<Service>> watch(ConsulRegistry registry) {
        BlockingQueue<List<Service>> updates = new LinkedBlockingQueue<>();
        watches.add(registry.watch(updates::add));
        return updates;
    }

    /** A health entry in the documented shape, on node "n1" (address 10.9.9.9), with one service check. */
    static String entry(String id, String service, String address, int port, String status) {
        return "{\"Node\":{\"ID\":\"n1-id\",\"Node\":\"n1\",\"Address\":\"10.9.9.9\",\"Datacenter\":\"dc1\"},"
                + "\"Service\":{\"ID\":\"" + id + "\",\"Service\":\"" + service + "\",\"Tags\":[],\"Address\":\""
                + address + "\",\"Meta\":{},\"Port\":" + port + "},"
                + "\"Checks\":[{\"Node\":\"n1\",\"CheckID\":\"service:" + id + "\",\"Status\":\"" + status
                + "\",\"ServiceID\":\"" + id + "\"},{\"Node\":\"n1\",\"CheckID\":\"serfHealth\","
                + "\"Status\":\"passing\",\"ServiceID\":\"\"}]}";
    }

    private static List<String> ids(Service service) {
        return service.instances().stream().map(ServiceInstance::id).toList();
    }

    private static Predicate<List<Service>> names(String... names) {
        return services -> services.stream().map(Service::name).toList().equals(List.of(names));
    }

    private static Predicate<List<Service>> instances(int count) {
        return services -> services.size() == 1 && services.get(0).instances().size() == count;
    }

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

    private static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + timeout.toMillis() + " ms");
            }
            Thread.sleep(20);
        }
    }
}
