package network.micro.registry.etcd.internal;

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

public class MicroServiceJsonTest {

    private final List<String> problems = new ArrayList<>();

    @Test
    public void readsTheValueGoMicroWrites() {
        String value = """
                {"name":"go.micro.srv.greeter","version":"latest","metadata":{"team":"web"},
                 "endpoints":[{"name":"Greeter.Hello","request":{"name":"Request","type":"Request"}}],
                 "nodes":[{"id":"greeter-5f1c","address":"10.0.0.5:9090",
                           "metadata":{"broker":"http","protocol":"grpc","registry":"etcd"}}]}
                """;

        MicroServiceJson.Entry entry = decode("/micro/registry/go.micro.srv.greeter/greeter-5f1c", value);

        assertEquals("go.micro.srv.greeter", entry.name());
        assertEquals("latest", entry.version());
        assertEquals(Map.of("team", "web"), entry.metadata());
        assertEquals(
                List.of(new ServiceInstance(
                        "greeter-5f1c",
                        "10.0.0.5:9090",
                        Map.of("broker", "http", "protocol", "grpc", "registry", "etcd"))),
                entry.instances());
        assertEquals(List.of(), problems);
    }

    @Test
    public void malformedJsonIsSkippedNamingTheKey() {
        assertNull(decode("/micro/registry/a/1", "{\"name\": \"a\", "));
        assertProblem("key /micro/registry/a/1: malformed JSON");
    }

    @Test
    public void aValueThatIsNotAnObjectIsSkipped() {
        assertNull(decode("/micro/registry/a/1", "[1, 2]"));
        assertProblem("key /micro/registry/a/1: the value is not a JSON object");
    }

    @Test
    public void aValueWithoutAServiceNameIsSkipped() {
        assertNull(decode("/micro/registry/a/1", "{\"nodes\": []}"));
        assertNull(decode("/micro/registry/a/2", "{\"name\": \"a b\", \"nodes\": []}"));
        assertEquals(2, problems.size());
        assertProblem("key /micro/registry/a/2: \"name\" is missing or not a service name");
    }

    @Test
    public void aValueWithoutNodesIsSkipped() {
        assertNull(decode("/micro/registry/a/1", "{\"name\": \"a\"}"));
        assertProblem("key /micro/registry/a/1 (service a): \"nodes\" is missing or not an array");
    }

    @Test
    public void badNodesAreSkippedAndTheGoodOnesKept() {
        String value = """
                {"name": "a", "nodes": [
                  {"id": "no-address"},
                  {"id": "bad-port", "address": "10.0.0.1:65536"},
                  {"id": "zero-port", "address": "10.0.0.1:0"},
                  {"id": "no-port", "address": "10.0.0.1"},
                  {"id": "no-host", "address": ":80"},
                  {"address": "10.0.0.1:80"},
                  "text",
                  {"id": "good", "address": "[::1]:80", "metadata": {"nested": {}}}]}
                """;

        MicroServiceJson.Entry entry = decode("/micro/registry/a/1", value);

        assertEquals(List.of(new ServiceInstance("good", "[::1]:80", Map.of())), entry.instances());
        assertEquals(problems.toString(), 8, problems.size());
        assertProblem("nodes[0] \"no-address\": the address is missing; skipped");
        assertProblem("nodes[1] \"bad-port\": address \"10.0.0.1:65536\" has port 65536, outside 0-65535");
        assertProblem("nodes[2] \"zero-port\": address \"10.0.0.1:0\" has port 0");
        assertProblem("nodes[3] \"no-port\": address \"10.0.0.1\" has no port");
        assertProblem("nodes[4] \"no-host\": address \":80\" has no host");
        assertProblem("nodes[5]: \"id\" is missing");
        assertProblem("nodes[6]: not a JSON object");
        assertProblem("metadata \"nested\" is not a string; ignored");
    }

    @Test
    public void encodesWhatItReads() {
        ServiceToRegister greeter = new ServiceToRegister("greeter", "127.0.0.1:9090");

        String value = MicroServiceJson.encode(greeter, "greeter-n1-9090", "1.0", Map.of("zone", "a"));

        MicroServiceJson.Entry entry = decode("k", value);
        assertEquals(
                new MicroServiceJson.Entry(
                        "greeter",
                        "1.0",
                        Map.of("zone", "a"),
                        List.of(new ServiceInstance("greeter-n1-9090", "127.0.0.1:9090", Map.of("zone", "a")))),
                entry);
        assertTrue(value, value.contains("\"endpoints\":[]"));
    }

    @Test
    public void keysFollowGoMicrosLayout() {
        assertEquals("/micro/registry/a-b/n-1", MicroServiceJson.nodeKey("/micro/registry/", "a/b", "n/1"));
    }

    @Test
    public void keysOfOneNameMakeOneService() {
        ServiceTable table = new ServiceTable();
        table.put(
                "/p/a/2",
                decode("/p/a/2", "{\"name\":\"a\",\"version\":\"2\",\"nodes\":[{\"id\":\"2\",\"address\":\"h:2\"}]}"));
        table.put(
                "/p/a/1",
                decode("/p/a/1", "{\"name\":\"a\",\"version\":\"1\",\"nodes\":[{\"id\":\"1\",\"address\":\"h:1\"}]}"));
        table.put("/p/b/1", decode("/p/b/1", "{\"name\":\"b\",\"nodes\":[{\"id\":\"1\",\"address\":\"h:0\"}]}"));

        List<Service> services = table.services();

        assertEquals(1, services.size());
        assertEquals("1,2", services.get(0).version());
        assertEquals(
                List.of("1", "2"),
                services.get(0).instances().stream().map(ServiceInstance::id).toList());
    }

    private MicroServiceJson.Entry decode(String key, String value) {
        return MicroServiceJson.decode(key, value, problems::add);
    }

    private void assertProblem(String part) {
        assertTrue(problems + " has no \"" + part + "\"", problems.stream().anyMatch(p -> p.contains(part)));
    }
}
