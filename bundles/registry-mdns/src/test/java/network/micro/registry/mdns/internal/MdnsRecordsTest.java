package network.micro.registry.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;
import network.micro.support.ServiceToRegister;
import org.junit.Test;

public class MdnsRecordsTest {

    private final List<String> problems = new ArrayList<>();

    @Test
    public void readsNameVersionIdAndMetadataFromTxt() {
        MdnsRecords.Entry entry = MdnsRecords.read(
                "greeter-n1-9090",
                List.of("10.0.0.5", "fe80::1"),
                9090,
                Map.of("name", "greeter", "version", "1.0", "id", "greeter-1", "meta.zone", "a", "other", "x"),
                problems::add);

        assertEquals(
                new MdnsRecords.Entry(
                        "greeter", "1.0", new ServiceInstance("greeter-1", "10.0.0.5:9090", Map.of("zone", "a"))),
                entry);
        assertEquals(List.of(), problems);
    }

    @Test
    public void anAnnouncementWithoutTxtIsNamedByItsInstance() {
        MdnsRecords.Entry entry = MdnsRecords.read("greeter", List.of("fe80::1"), 80, Map.of(), problems::add);

        assertEquals(new ServiceInstance("greeter", "[fe80::1]:80", Map.of()), entry.instance());
        assertEquals("greeter", entry.service());
    }

    @Test
    public void theTxtAddressWinsOverTheAnnouncingHost() {
        MdnsRecords.Entry entry =
                MdnsRecords.read("a", List.of("10.0.0.5"), 9090, Map.of("address", "10.0.0.9:80"), problems::add);

        assertEquals("10.0.0.9:80", entry.instance().address());
    }

    @Test
    public void unusableAnnouncementsAreSkippedNamingTheInstance() {
        assertNull(MdnsRecords.read("My Printer", List.of("10.0.0.5"), 631, Map.of(), problems::add));
        assertNull(MdnsRecords.read("a", List.of(), 80, Map.of(), problems::add));
        assertNull(MdnsRecords.read("b", List.of("10.0.0.5"), 0, Map.of(), problems::add));
        assertNull(MdnsRecords.read("c", List.of("10.0.0.5"), 80, Map.of("address", "10.0.0.9:70000"), problems::add));
        assertNull(MdnsRecords.read("d", List.of("10.0.0.5"), 80, Map.of("address", "nowhere"), problems::add));

        assertEquals(problems.toString(), 5, problems.size());
        assertProblem("mDNS instance \"My Printer\": \"My Printer\" is not a service name; skipped");
        assertProblem("mDNS instance \"a\" (service a): no address was announced; skipped");
        assertProblem("mDNS instance \"b\" (service b): address \"10.0.0.5:0\" has port 0");
        assertProblem("mDNS instance \"c\" (service c): address \"10.0.0.9:70000\" has port 70000");
        assertProblem("mDNS instance \"d\" (service d): address \"nowhere\" has no port");
    }

    @Test
    public void writesWhatItReads() {
        ServiceToRegister greeter = new ServiceToRegister("greeter", "10.0.0.5:9090");

        MdnsRecords.Entry entry = MdnsRecords.read(
                "x", List.of("10.0.0.1"), 9090, MdnsRecords.txt(greeter, "greeter-n1-9090"), problems::add);

        assertEquals(
                new MdnsRecords.Entry("greeter", "", new ServiceInstance("greeter-n1-9090", "10.0.0.5:9090", Map.of())),
                entry);
    }

    @Test
    public void instanceNamesFitADnsLabel() {
        assertEquals(63, MdnsRecords.instanceName("x".repeat(100)).length());
        assertEquals("short", MdnsRecords.instanceName("short"));
    }

    @Test
    public void instancesOfOneNameMakeOneService() {
        List<Service> services = MdnsRecords.services(List.of(
                new MdnsRecords.Entry("b", "", new ServiceInstance("b1", "h:1", Map.of())),
                new MdnsRecords.Entry("a", "2", new ServiceInstance("a2", "h:2", Map.of())),
                new MdnsRecords.Entry("a", "1", new ServiceInstance("a1", "h:3", Map.of()))));

        assertEquals(List.of("a", "b"), services.stream().map(Service::name).toList());
        assertEquals("1,2", services.get(0).version());
        assertEquals(
                List.of("a1", "a2"),
                services.get(0).instances().stream().map(ServiceInstance::id).toList());
    }

    private void assertProblem(String part) {
        assertTrue(problems + " has no \"" + part + "\"", problems.stream().anyMatch(p -> p.contains(part)));
    }
}
