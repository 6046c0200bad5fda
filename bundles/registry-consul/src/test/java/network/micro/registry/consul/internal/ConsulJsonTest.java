package network.micro.registry.consul.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;
import network.micro.support.ServiceToRegister;
import org.junit.Test;

public class ConsulJsonTest {

    private final List<String> problems = new ArrayList<>();

    @Test
    public void readsTheDocumentedCatalogAnswer() throws Exception {
        String body = "{\"consul\": [], \"redis\": [], \"postgresql\": [\"primary\", \"secondary\"]}";

        assertEquals(Set.of("consul", "postgresql", "redis"), ConsulJson.serviceNames(body));
    }

    @Test
    public void readsTheDocumentedHealthAnswer() throws Exception {
        Service redis = ConsulJson.service("redis", "[" + FakeConsul.REDIS_ENTRY + "]", problems::add);

        assertEquals(
                List.of(new ServiceInstance("redis", "10.1.10.12:8000", Map.of("redis_version", "4.0"))),
                redis.instances());
        assertEquals(List.of(), problems);
    }

    @Test
    public void anAnswerOfTheWrongShapeFailsTheCall() {
        assertThrows(IOException.class, () -> ConsulJson.serviceNames("[\"redis\"]"));
        assertThrows(IOException.class, () -> ConsulJson.serviceNames("{\"redis\": "));
        assertThrows(IOException.class, () -> ConsulJson.service("redis", "{}", problems::add));
        assertThrows(IOException.class, () -> ConsulJson.service("redis", "[{", problems::add));
    }

    @Test
    public void badEntriesAreSkippedNamingTheServiceAndTheRestKept() throws Exception {
        String body = "["
                + ConsulRegistryTest.entry("ok", "web", "10.0.0.1", 80, "passing") + ","
                + ConsulRegistryTest.entry("big-port", "web", "10.0.0.1", 65536, "passing") + ","
                + ConsulRegistryTest.entry("zero-port", "web", "10.0.0.1", 0, "passing") + ","
                + ConsulRegistryTest.entry("node-address", "web", "", 81, "passing") + ","
                + ConsulRegistryTest.entry("critical", "web", "10.0.0.1", 82, "critical") + ","
                + "{\"Service\": {\"ID\": \"no-port\", \"Address\": \"10.0.0.1\"}},"
                + "{\"Service\": {\"ID\": \"text-port\", \"Address\": \"10.0.0.1\", \"Port\": \"80\"}},"
                + "{\"Service\": {\"ID\": \"no-address\", \"Port\": 80}},"
                + "{\"Service\": {\"Port\": 80}},"
                + "{\"Node\": {}},"
                + "17]";

        Service web = ConsulJson.service("web", body, problems::add);

        assertEquals(
                List.of("node-address", "ok"),
                web.instances().stream().map(ServiceInstance::id).toList());
        assertEquals("10.9.9.9:81", web.instances().get(0).address());
        assertEquals(problems.toString(), 8, problems.size());
        assertProblem("service web instance big-port: port 65536 is outside 1-65535; skipped");
        assertProblem("service web instance zero-port: port 0 is outside 1-65535");
        assertProblem("service web instance no-port: \"Service.Port\" is missing or not a number");
        assertProblem("service web instance text-port: \"Service.Port\" is missing or not a number");
        assertProblem("service web instance no-address: neither \"Service.Address\" nor \"Node.Address\" is set");
        assertProblem("service web entry 8: \"Service.ID\" is missing");
        assertProblem("service web entry 9: \"Service\" is missing");
        assertProblem("service web entry 10: not a JSON object");
    }

    @Test
    public void anIpv6AddressIsBracketed() throws Exception {
        String body = "[" + ConsulRegistryTest.entry("v6", "web", "2001:db8::1", 80, "passing") + "]";

        assertEquals(
                "[2001:db8::1]:80",
                ConsulJson.service("web", body, problems::add)
                        .instances()
                        .get(0)
                        .address());
    }

    @Test
    public void registrationCarriesATtlCheck() {
        JsonObject json = JsonParser.parseString(ConsulJson.registration(
                        new ServiceToRegister("greeter", "127.0.0.1:9090"),
                        "greeter-n-9090",
                        "service:greeter-n-9090",
                        30))
                .getAsJsonObject();

        assertEquals("greeter", json.get("Name").getAsString());
        assertEquals(9090, json.get("Port").getAsInt());
        assertEquals("30s", json.getAsJsonObject("Check").get("TTL").getAsString());
        assertEquals(
                "90s",
                json.getAsJsonObject("Check")
                        .get("DeregisterCriticalServiceAfter")
                        .getAsString());
    }

    private void assertProblem(String part) {
        assertTrue(problems + " has no \"" + part + "\"", problems.stream().anyMatch(p -> p.contains(part)));
    }
}
