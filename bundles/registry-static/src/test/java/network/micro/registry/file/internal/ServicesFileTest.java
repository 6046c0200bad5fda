package network.micro.registry.file.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import network.micro.api.Service;
import network.micro.api.ServiceInstance;
import org.junit.Test;

public class ServicesFileTest {

    @Test
    public void readsServicesWithInstancesAndMetadata() throws Exception {
        String json = """
                {"services": [
                  {"name": "greeter", "version": "1.0.0", "metadata": {"team": "web", "weight": 3},
                   "instances": [
                     {"id": "greeter-1", "address": "127.0.0.1:9090", "metadata": {"zone": "a"}},
                     {"id": "greeter-2", "address": "[::1]:9091"}]},
                  {"name": "go.micro.srv.echo", "instances": []}
                ]}
                """;

        List<Service> services = ServicesFile.parse("services.json", json);

        assertEquals(
                new Service(
                        "greeter",
                        "1.0.0",
                        Map.of("team", "web", "weight", "3"),
                        List.of(
                                new ServiceInstance("greeter-1", "127.0.0.1:9090", Map.of("zone", "a")),
                                new ServiceInstance("greeter-2", "[::1]:9091", Map.of()))),
                services.get(0));
        assertEquals(new Service("go.micro.srv.echo", "", Map.of(), List.of()), services.get(1));
    }

    @Test
    public void anEmptyListIsFine() throws Exception {
        assertTrue(ServicesFile.parse("services.json", "{\"services\": []}").isEmpty());
    }

    @Test
    public void syntaxErrorsNameTheFileAndLine() {
        String error = failure("{\"services\": [\n  {\"name\": \"greeter\",,}\n]}");

        assertTrue(error, error.startsWith("conf/services.json: malformed JSON"));
        assertTrue(error, error.contains("line 2"));
    }

    @Test
    public void trailingGarbageIsRefused() {
        String error = failure("{\"services\": []} extra");

        assertTrue(error, error.startsWith("conf/services.json: malformed JSON") && error.contains("line 1"));
    }

    @Test
    public void emptyFileIsRefused() {
        assertTrue(failure("").contains("conf/services.json"));
    }

    @Test
    public void structuralErrorsNameTheEntry() {
        assertEquals("conf/services.json: the top level is not a JSON object", failure("[]"));
        assertEquals("conf/services.json: the top level: \"services\" is not a JSON array", failure("{}"));
        assertEquals("conf/services.json: services[0] is not a JSON object", failure("{\"services\": [1]}"));
        assertEquals(
                "conf/services.json: services[0]: \"name\" is missing or empty",
                failure("{\"services\": [{\"version\": \"1\"}]}"));
        assertEquals(
                "conf/services.json: services[0] \"a\": \"instances\" is not a JSON array",
                failure("{\"services\": [{\"name\": \"a\", \"instances\": {}}]}"));
    }

    @Test
    public void badNamesAreRefused() {
        assertEquals(
                "conf/services.json: services[0]: name \"has space\" is not a service name (letters, digits, '.',"
                        + " '_', '-')",
                failure("{\"services\": [{\"name\": \"has space\"}]}"));
        assertEquals(
                "conf/services.json: services[0]: \"name\" is not a string",
                failure("{\"services\": [{\"name\": 7}]}"));
    }

    @Test
    public void badAddressesNameTheInstance() {
        assertEquals(
                "conf/services.json: services[0] \"a\": instances[0]: address \"localhost\" is not host:port",
                failure(instance("{\"id\": \"a-1\", \"address\": \"localhost\"}")));
        assertEquals(
                "conf/services.json: services[0] \"a\": instances[0]: address \"h:http\" has no numeric port",
                failure(instance("{\"id\": \"a-1\", \"address\": \"h:http\"}")));
        assertEquals(
                "conf/services.json: services[0] \"a\": instances[0]: address \"h:70000\" has port 70000, outside"
                        + " 1-65535",
                failure(instance("{\"id\": \"a-1\", \"address\": \"h:70000\"}")));
        assertEquals(
                "conf/services.json: services[0] \"a\": instances[0]: \"address\" is missing or empty",
                failure(instance("{\"id\": \"a-1\"}")));
    }

    @Test
    public void duplicatesAreRefused() {
        assertEquals(
                "conf/services.json: services[1]: service \"a\" is declared twice",
                failure("{\"services\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}"));
        assertEquals(
                "conf/services.json: services[0] \"a\": instance id \"a-1\" is used twice",
                failure(instance("{\"id\": \"a-1\", \"address\": \"h:1\"}, {\"id\": \"a-1\", \"address\": \"h:2\"}")));
    }

    @Test
    public void metadataMustBeFlat() {
        assertEquals(
                "conf/services.json: services[0] \"a\": metadata \"nested\" is not a string, number or boolean",
                failure("{\"services\": [{\"name\": \"a\", \"metadata\": {\"nested\": {}}}]}"));
    }

    private static String instance(String instances) {
        return "{\"services\": [{\"name\": \"a\", \"instances\": [" + instances + "]}]}";
    }

    private static String failure(String json) {
        return assertThrows(ServicesFileException.class, () -> ServicesFile.parse("conf/services.json", json))
                .getMessage();
    }
}
