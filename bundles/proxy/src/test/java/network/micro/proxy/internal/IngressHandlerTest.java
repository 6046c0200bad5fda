package network.micro.proxy.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import network.micro.api.NodeEndpoint;
import network.micro.api.NodeEndpoint.Reply;
import org.junit.After;
import org.junit.Test;

public class IngressHandlerTest {

    private final Ingress ingress = new Ingress() {
        @Override
        public String nodeId() {
            return "node-a";
        }

        @Override
        public boolean isThisNode(String idOrAddress) {
            return idOrAddress.equals("node-a");
        }

        @Override
        public Optional<NodeEndpoint> endpoint(String service) {
            return service.equals("go.micro.network") ? Optional.of(views) : Optional.empty();
        }
    };

    private final NodeEndpoint views = new NodeEndpoint() {
        @Override
        public String service() {
            return "go.micro.network";
        }

        @Override
        public Reply handle(String method, String path) {
            return Reply.json("{\"method\":\"" + method + "\",\"path\":\"" + path + "\"}");
        }
    };

    private final EmbeddedChannel server =
            new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1024), new IngressHandler(ingress));

    @After
    public void close() {
        server.finishAndReleaseAll();
    }

    @Test
    public void aForwardProxyRequestReachesTheNodeEndpoint() {
        Answer answer = send("GET http://go.micro.network/routes?x=1 HTTP/1.1\r\nHost: go.micro.network\r\n\r\n");

        assertEquals(200, answer.status);
        assertEquals("{\"method\":\"GET\",\"path\":\"/routes?x=1\"}", answer.body);
        assertEquals("node-a", answer.path);
        assertTrue("keep-alive by default", server.isOpen());
    }

    @Test
    public void theServiceHeaderNamesTheService() {
        Answer answer = send("GET /services HTTP/1.1\r\nHost: x\r\nMicro-Service: go.micro.network\r\n\r\n");

        assertEquals(200, answer.status);
        assertEquals("{\"method\":\"GET\",\"path\":\"/services\"}", answer.body);
    }

    @Test
    public void oneConnectionServesRequestsForDifferentServices() {
        assertEquals(502, send("GET http://greeter/ HTTP/1.1\r\nHost: greeter\r\n\r\n").status);
        assertEquals(200, send("GET http://go.micro.network/nodes HTTP/1.1\r\nHost: g\r\n\r\n").status);
    }

    @Test
    public void anUnknownServiceHasNoRoute() {
        Answer answer = send("GET http://greeter/hello HTTP/1.1\r\nHost: greeter\r\n\r\n");

        assertEquals(502, answer.status);
        assertEquals("no route to service greeter\n", answer.body);
    }

    @Test
    public void aRequestNamingNoServiceIsRefused() {
        Answer answer = send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1:8081\r\n\r\n");

        assertEquals(400, answer.status);
        assertTrue(answer.body, answer.body.startsWith("no service named"));
    }

    @Test
    public void anotherNodeIsNotReachableYet() {
        Answer answer = send("GET http://go.micro.network/routes HTTP/1.1\r\nHost: g\r\nMicro-Node: node-z\r\n\r\n");

        assertEquals(502, answer.status);
        assertEquals("no route to node node-z\n", answer.body);
        assertEquals(200, send("GET http://go.micro.network/routes HTTP/1.1\r\nMicro-Node: node-a\r\n\r\n").status);
    }

    @Test
    public void garbageGetsABadRequestAndTheConnectionCloses() {
        Answer answer = send("\u0001\u0002 not http at all\r\n\r\n");

        assertEquals(400, answer.status);
        assertTrue(answer.body, answer.body.startsWith("malformed request"));
        assertFalse(server.isOpen());
    }

    @Test
    public void connectionCloseIsHonoured() {
        send("GET http://go.micro.network/nodes HTTP/1.1\r\nConnection: close\r\n\r\n");

        assertFalse(server.isOpen());
    }

    private Answer send(String request) {
        server.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1024));
        try {
            // The client codec parses responses only to requests it has sent.
            client.writeOutbound(new io.netty.handler.codec.http.DefaultFullHttpRequest(
                    io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/"));
            client.releaseOutbound();
            for (ByteBuf out = server.readOutbound(); out != null; out = server.readOutbound()) {
                client.writeInbound(out);
            }
            FullHttpResponse response = client.readInbound();
            try {
                return new Answer(
                        response.status().code(),
                        response.content().toString(StandardCharsets.UTF_8),
                        response.headers().get(IngressHandler.PATH_HEADER));
            } finally {
                response.release();
            }
        } finally {
            client.finishAndReleaseAll();
        }
    }

    private record Answer(int status, String body, String path) {}
}
