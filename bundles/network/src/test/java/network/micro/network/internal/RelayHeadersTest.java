package network.micro.network.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.List;
import network.micro.relay.RelayRequest;
import org.junit.Test;

public class RelayHeadersTest {

    @Test
    public void aRequestSurvivesItsHeaders() {
        RelayRequest request = new RelayRequest("greeter", List.of("d", "c"), "d-1", "a");

        assertEquals(request, RelayHeaders.request(RelayHeaders.open(request)));
    }

    @Test
    public void aStreamWithoutServiceOrPathIsRefused() {
        Http2Headers noPath = new DefaultHttp2Headers().set(RelayHeaders.SERVICE, "greeter");
        Http2Headers noService = new DefaultHttp2Headers().set(RelayHeaders.PATH, "d");

        for (Http2Headers headers : List.of(noPath, noService, new DefaultHttp2Headers())) {
            IllegalArgumentException error =
                    assertThrows(IllegalArgumentException.class, () -> RelayHeaders.request(headers));
            assertEquals("a relayed stream needs micro-service and micro-path headers", error.getMessage());
        }
    }

    @Test
    public void aFailureReasonBecomesOneHeaderLine() {
        Http2Headers failed = RelayHeaders.failed(502, "every route failed:\n10.0.0.1:80: refused");

        assertEquals("502", failed.status().toString());
        assertEquals(
                "every route failed:?10.0.0.1:80: refused",
                failed.get(RelayHeaders.ERROR).toString());
    }

    @Test
    public void pathsSplitOnCommasAndIgnoreBlanks() {
        assertEquals(List.of("a", "b"), RelayHeaders.split(" a, ,b "));
        assertEquals(List.of(), RelayHeaders.split(""));
    }
}
