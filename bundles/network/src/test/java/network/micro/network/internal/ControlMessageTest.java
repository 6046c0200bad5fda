package network.micro.network.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import network.micro.api.Node;
import network.micro.api.Peer;
import network.micro.api.Route;
import network.micro.api.RouteEvent;
import org.junit.Test;

public class ControlMessageTest {

    private static final Route ROUTE =
            new Route("greeter", "10.0.0.1:80", "", "a", "go.micro", 1, "local", List.of("a"), "static");
    private static final Peer GRAPH = new Peer(new Node("a", "10.0.0.1:8085", "go.micro"), List.of());

    @Test
    public void everyMessageSurvivesTheWire() {
        for (ControlMessage message : List.of(
                ControlMessage.sync(List.of(ROUTE), GRAPH),
                ControlMessage.advert(List.of(new RouteEvent(RouteEvent.Type.DELETE, ROUTE))),
                ControlMessage.graph(GRAPH))) {
            assertEquals(message, ControlMessage.parse(message.toJson()));
        }
    }

    @Test
    public void badMessagesSayWhatIsWrong() {
        assertEquals("no message type", failure("{}"));
        assertEquals("unknown message type hello", failure("{\"type\": \"hello\"}"));
        assertEquals("sync message misses its content", failure("{\"type\": \"sync\", \"routes\": []}"));
        assertEquals("advert message misses its content", failure("{\"type\": \"advert\"}"));
        assertTrue(failure("{\"type\": \"sync\", \"routes\": 7}").startsWith("malformed: "));
        assertTrue(failure("{\"type\": \"advert\", \"events\": [{\"type\": \"CREATE\"}]}")
                .startsWith("malformed: "));
        assertTrue(failure("not json").startsWith("malformed: "));
    }

    @Test
    public void aRouteWithAMetricBelowOneIsMalformed() {
        String json = ControlMessage.sync(List.of(ROUTE), GRAPH).toJson().replace("\"metric\":1", "\"metric\":0");

        assertTrue(failure(json), failure(json).contains("metric must be at least 1"));
    }

    @Test
    public void linkCostIsOnePlusWholeMillisecondsAndNeverZero() {
        assertEquals(1, LinkCost.of(Duration.ofNanos(1)));
        assertEquals(1, LinkCost.of(Duration.ofMillis(0)));
        assertEquals(13, LinkCost.of(Duration.ofMillis(12).plusNanos(999_999)));
    }

    private static String failure(String json) {
        return assertThrows(IllegalArgumentException.class, () -> ControlMessage.parse(json))
                .getMessage();
    }
}
