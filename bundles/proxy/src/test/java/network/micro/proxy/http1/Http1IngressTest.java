package network.micro.proxy.http1;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import network.micro.proxy.testing.FakeContext;
import network.micro.testsupport.NettyLeakRule;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;

public class Http1IngressTest {

    @Rule
    public final NettyLeakRule leaks = new NettyLeakRule();

    private final FakeContext context = new FakeContext();
    private final EmbeddedChannel client = new EmbeddedChannel();

    {
        new Http1Codec().configure(client, context);
    }

    @After
    public void close() {
        client.finishAndReleaseAll();
        context.close();
    }

    @Test
    public void aForwardProxyRequestIsRelayedInOriginFormAndAnsweredWithItsPath() {
        send("GET http://greeter/hello?x=1 HTTP/1.1\r\nHost: greeter\r\nProxy-Connection: keep-alive\r\n\r\n");

        assertEquals("greeter", context.requests().get(0).service());
        assertEquals("", context.requests().get(0).node());
        String request = fromClientAtService();
        assertTrue(request, request.startsWith("GET /hello?x=1 HTTP/1.1\r\n"));
        assertTrue(request, request.contains("Host: greeter\r\n"));
        assertFalse(request, request.contains("Proxy-Connection"));

        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");

        String answer = atClient();
        assertTrue(answer, answer.startsWith("HTTP/1.1 200 OK\r\n"));
        assertTrue(answer, answer.contains("Micro-Path: node-a,node-b\r\n"));
        assertTrue(answer, answer.endsWith("\r\n\r\nhi"));
        assertTrue("kept for the next request", context.stream().channel().isOpen());
        assertTrue(client.isOpen());
    }

    @Test
    public void theServiceHeaderNamesTheServiceOfAnOriginFormRequest() {
        send("POST /greet HTTP/1.1\r\nHost: x\r\nMicro-Service: greeter\r\nContent-Length: 5\r\n\r\nworld");

        assertEquals("greeter", context.requests().get(0).service());
        String request = fromClientAtService();
        assertTrue(request, request.startsWith("POST /greet HTTP/1.1\r\n"));
        assertTrue(request, request.endsWith("\r\n\r\nworld"));
    }

    @Test
    public void keepAliveRequestsGoToDifferentServicesOneAtATime() {
        send("GET http://greeter/a HTTP/1.1\r\nHost: greeter\r\n\r\n"
                + "GET http://weather/b HTTP/1.1\r\nHost: weather\r\n\r\n");

        assertEquals(
                "the second waits for the first answer", 1, context.streams().size());
        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
        assertEquals(2, context.streams().size());
        assertEquals("weather", context.requests().get(1).service());
        assertTrue(fromClientAtService().startsWith("GET /b HTTP/1.1"));
        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");

        String answers = atClient();
        assertTrue(answers, answers.endsWith("\r\n\r\nb"));
        assertEquals(2, answers.split("HTTP/1.1 200 OK", -1).length - 1);
        assertFalse(
                "another service, another stream",
                context.streams().get(0).channel().isOpen());
    }

    @Test
    public void aKeptStreamCarriesTheNextRequestToTheSameService() {
        send("GET http://greeter/a HTTP/1.1\r\nHost: greeter\r\n\r\n");
        fromClientAtService();
        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
        assertTrue(atClient().endsWith("\r\n\r\na"));

        send("POST http://greeter/b HTTP/1.1\r\nHost: greeter\r\nContent-Length: 3\r\n\r\nxyz");

        assertEquals("no new stream", 1, context.streams().size());
        assertEquals(1, context.requests().size());
        String request = fromClientAtService();
        assertTrue(request, request.startsWith("POST /b HTTP/1.1\r\n"));
        assertTrue(request, request.endsWith("\r\n\r\nxyz"));
        serviceAnswers("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n");
        String answer = atClient();
        assertTrue(answer, answer.contains("Micro-Path: node-a,node-b\r\n"));
        assertTrue(answer, answer.endsWith("1\r\nb\r\n0\r\n\r\n"));

        send("GET http://greeter/c HTTP/1.1\r\nHost: greeter\r\n\r\n");
        assertEquals(1, context.streams().size());
        assertTrue(fromClientAtService().startsWith("GET /c HTTP/1.1\r\n"));
    }

    @Test
    public void anotherNodeGetsANewStream() {
        send("GET http://greeter/a HTTP/1.1\r\nHost: greeter\r\n\r\n");
        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        send("GET http://greeter/b HTTP/1.1\r\nHost: greeter\r\nMicro-Node: node-z\r\n\r\n");

        assertEquals(2, context.streams().size());
        assertEquals("node-z", context.requests().get(1).node());
        assertFalse(context.streams().get(0).channel().isOpen());
    }

    @Test
    public void aServiceThatWillCloseItsConnectionGetsANewStreamNextTime() {
        send("GET http://greeter/a HTTP/1.1\r\nHost: greeter\r\n\r\n");
        serviceAnswers("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        String answer = atClient();
        assertFalse(
                "the client's connection is its own: " + answer,
                answer.toLowerCase().contains("close"));
        assertTrue(client.isOpen());

        send("GET http://greeter/b HTTP/1.1\r\nHost: greeter\r\n\r\n");

        assertEquals(2, context.streams().size());
        assertFalse(context.streams().get(0).channel().isOpen());
    }

    @Test
    public void anAnswerThatEndsWithItsConnectionIsNotReused() {
        send("GET http://greeter/a HTTP/1.1\r\nHost: greeter\r\n\r\n");
        serviceAnswers("HTTP/1.1 200 OK\r\n\r\nall of it");
        context.stream()
                .channel()
                .pipeline()
                .fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
        assertTrue(atClient().endsWith("0\r\n\r\n"));

        send("GET http://greeter/b HTTP/1.1\r\nHost: greeter\r\n\r\n");

        assertEquals(2, context.streams().size());
    }

    @Test
    public void anAnswerBeforeTheWholeBodyWasSentIsNotReused() {
        send("POST http://greeter/a HTTP/1.1\r\nHost: greeter\r\nContent-Length: 6\r\n\r\nabc");
        serviceAnswers("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n");
        send("def");
        assertTrue(atClient().startsWith("HTTP/1.1 413"));
        assertFalse(context.stream().channel().isOpen());

        send("GET http://greeter/b HTTP/1.1\r\nHost: greeter\r\n\r\n");

        assertEquals(2, context.streams().size());
    }

    @Test
    public void aKeptStreamTheServiceClosesWhileIdleIsDropped() {
        send("GET http://greeter/a HTTP/1.1\r\nHost: greeter\r\n\r\n");
        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        atClient();
        context.stream().channel().close();
        client.runPendingTasks();
        assertTrue(client.isOpen());

        send("GET http://greeter/b HTTP/1.1\r\nHost: greeter\r\n\r\n");

        assertEquals(2, context.streams().size());
        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");
        assertTrue(atClient().endsWith("\r\n\r\nb"));
    }

    @Test
    public void aKeptStreamThatWritesWhileIdleIsDropped() {
        send("GET http://greeter/a HTTP/1.1\r\nHost: greeter\r\n\r\n");
        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        atClient();

        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        assertFalse(context.stream().channel().isOpen());
        assertEquals("nothing reaches the client", "", atClient());
        send("GET http://greeter/b HTTP/1.1\r\nHost: greeter\r\n\r\n");
        assertEquals(2, context.streams().size());
    }

    @Test
    public void aKeptStreamThatBreaksAfterTheRequestWasSentIsAnErrorNotARetry() {
        send("GET http://greeter/a HTTP/1.1\r\nHost: greeter\r\n\r\n");
        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        atClient();
        send("GET http://greeter/b HTTP/1.1\r\nHost: greeter\r\n\r\n");
        fromClientAtService();

        context.stream().channel().close();
        client.runPendingTasks();

        assertTrue(atClient().endsWith("service greeter closed before it answered\n"));
        assertEquals(
                "the request was sent: no other route is tried",
                1,
                context.requests().size());
    }

    @Test
    public void aStreamCarriesNewRequestsOnlyWhileItsRouteChoicesAreFresh() {
        long[] now = {0};
        EmbeddedChannel timed = new EmbeddedChannel(new HttpServerCodec(), new Http1Ingress(context, () -> now[0]));
        try {
            timed.writeInbound(Unpooled.copiedBuffer(
                    "GET http://greeter/a HTTP/1.1\r\nHost: greeter\r\n\r\n", StandardCharsets.ISO_8859_1));
            serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            now[0] = Http1Ingress.MAX_KEEP_NANOS;
            timed.writeInbound(Unpooled.copiedBuffer(
                    "GET http://greeter/b HTTP/1.1\r\nHost: greeter\r\n\r\n", StandardCharsets.ISO_8859_1));
            assertEquals("still fresh", 1, context.streams().size());
            serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

            now[0] = Http1Ingress.MAX_KEEP_NANOS + 1;
            timed.writeInbound(Unpooled.copiedBuffer(
                    "GET http://greeter/c HTTP/1.1\r\nHost: greeter\r\n\r\n", StandardCharsets.ISO_8859_1));

            assertEquals("every hop chooses again", 2, context.streams().size());
            assertFalse(context.streams().get(0).channel().isOpen());
        } finally {
            timed.finishAndReleaseAll();
        }
    }

    @Test
    public void aQuietClientDoesNotHoldItsKeptStreamLongerThanItMayBeKept() {
        send("GET http://greeter/a HTTP/1.1\r\nHost: greeter\r\n\r\n");
        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertTrue(context.stream().channel().isOpen());

        client.advanceTimeBy(Http1Ingress.MAX_KEEP_NANOS, TimeUnit.NANOSECONDS);
        client.runScheduledPendingTasks();

        assertFalse(context.stream().channel().isOpen());
        assertTrue(client.isOpen());
    }

    @Test
    public void theKeptStreamIsClosedWithTheClientConnection() {
        send("GET http://greeter/a HTTP/1.1\r\nHost: greeter\r\n\r\n");
        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        client.close();

        assertFalse(context.stream().channel().isOpen());
    }

    @Test
    public void chunkedBodiesStreamBothWaysAsTheyArrive() {
        send("POST http://greeter/upload HTTP/1.1\r\nHost: greeter\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n");
        String first = fromClientAtService();
        assertTrue(first, first.endsWith("5\r\nhello\r\n"));

        send("6\r\n world\r\n0\r\n\r\n");
        assertEquals("6\r\n world\r\n0\r\n\r\n", fromClientAtService());

        serviceAnswers("HTTP/1.1 200 OK\r\n\r\npart one;");
        String head = atClient();
        assertTrue(
                "an answer without length is chunked for the client: " + head,
                head.contains("transfer-encoding: chunked\r\n"));
        assertTrue(head, head.endsWith("9\r\npart one;\r\n"));

        context.stream()
                .channel()
                .pipeline()
                .fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
        assertTrue(atClient().endsWith("0\r\n\r\n"));
        assertTrue(client.isOpen());
    }

    @Test
    public void expectContinueIsForwardedAndTheServicesContinueRelayed() {
        send("PUT http://greeter/doc HTTP/1.1\r\nHost: greeter\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        assertTrue(fromClientAtService().contains("Expect: 100-continue\r\n"));

        serviceAnswers("HTTP/1.1 100 Continue\r\n\r\n");
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", atClient());

        send("abc");
        assertEquals("abc", fromClientAtService());
        serviceAnswers("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        assertTrue(atClient().startsWith("HTTP/1.1 201 Created"));
    }

    @Test
    public void noRouteIsA502NamingTheServiceAndTheConnectionGoesOn() {
        context.fail("nowhere", 502, "no route to service nowhere");

        send("GET http://nowhere/ HTTP/1.1\r\nHost: nowhere\r\n\r\n");
        String answer = atClient();

        assertTrue(answer, answer.startsWith("HTTP/1.1 502 Bad Gateway\r\n"));
        assertTrue(answer, answer.endsWith("\r\n\r\nno route to service nowhere\n"));
        assertTrue(answer, answer.contains("Micro-Path: node-a\r\n"));
        assertTrue(client.isOpen());
        send("GET http://go.micro.network/nodes HTTP/1.1\r\nHost: g\r\n\r\n");
        assertTrue(atClient().startsWith("HTTP/1.1 200 OK"));
    }

    @Test
    public void aLoopIsA508WithThePath() {
        context.fail("far", 508, "path node-a,node-b,node-c,node-d would exceed 3 hops");

        send("GET http://far/ HTTP/1.1\r\nHost: far\r\n\r\n");
        String answer = atClient();

        assertTrue(answer, answer.startsWith("HTTP/1.1 508 Loop Detected\r\n"));
        assertTrue(answer, answer.endsWith("path node-a,node-b,node-c,node-d would exceed 3 hops\n"));
    }

    @Test
    public void everyFailedRouteIsListed() {
        context.fail("flaky", 502, "every route to service flaky failed: node-b: refused; node-c: reset");

        send("GET http://flaky/ HTTP/1.1\r\nHost: flaky\r\n\r\n");

        assertTrue(atClient().endsWith("every route to service flaky failed: node-b: refused; node-c: reset\n"));
    }

    @Test
    public void aFailedRouteWithABodyPendingClosesTheConnection() {
        context.fail("nowhere", 502, "no route to service nowhere");

        send("POST http://nowhere/ HTTP/1.1\r\nHost: nowhere\r\nContent-Length: 100\r\n\r\nabc");

        assertTrue(atClient().startsWith("HTTP/1.1 502"));
        assertFalse(client.isOpen());
    }

    @Test
    public void aServiceThatClosesBeforeAnsweringIsA502() {
        send("GET http://greeter/ HTTP/1.1\r\nHost: greeter\r\n\r\n");
        fromClientAtService();

        context.stream().channel().close();

        assertTrue(atClient().endsWith("service greeter closed before it answered\n"));
    }

    @Test
    public void aMalformedRequestIsA400NamingTheProblem() {
        send("GET http://greeter/ HTTP/9.x\r\n\r\n");
        String answer = atClient();

        assertTrue(answer, answer.startsWith("HTTP/1.1 400 Bad Request\r\n"));
        assertTrue(answer, answer.contains("malformed request: "));
        assertFalse(client.isOpen());
    }

    @Test
    public void aRequestNamingNoServiceIsA400() {
        send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1:8081\r\n\r\n");
        String answer = atClient();

        assertTrue(answer, answer.startsWith("HTTP/1.1 400 Bad Request\r\n"));
        assertTrue(answer, answer.contains("no service named"));
        assertTrue(client.isOpen());
    }

    @Test
    public void connectAfterAnotherRequestIsA400() {
        send("GET http://go.micro.network/nodes HTTP/1.1\r\nHost: g\r\n\r\n");
        atClient();

        send("CONNECT greeter:80 HTTP/1.1\r\nHost: greeter:80\r\n\r\n");

        assertTrue(atClient().contains("CONNECT must be the first request on its connection"));
    }

    @Test
    public void theNodesOwnEndpointIsServedInProcess() {
        send("GET http://go.micro.network/routes?x=1 HTTP/1.1\r\nHost: go.micro.network\r\n\r\n");
        String answer = atClient();

        assertTrue(answer, answer.startsWith("HTTP/1.1 200 OK"));
        assertTrue(answer, answer.endsWith("{\"method\":\"GET\",\"path\":\"/routes?x=1\"}"));
        assertTrue(context.requests().isEmpty());

        send("GET /services HTTP/1.1\r\nMicro-Service: go.micro.network\r\nMicro-Node: node-a\r\n\r\n");
        assertTrue(atClient().endsWith("{\"method\":\"GET\",\"path\":\"/services\"}"));
    }

    @Test
    public void anotherNodesEndpointIsRelayedToThatNode() {
        send("GET http://go.micro.network/routes HTTP/1.1\r\nHost: g\r\nMicro-Node: node-z\r\n\r\n");

        assertEquals(1, context.requests().size());
        assertEquals("go.micro.network", context.requests().get(0).service());
        assertEquals("node-z", context.requests().get(0).node());
    }

    @Test
    public void connectionCloseIsHonouredAfterARelayedAnswer() {
        send("GET http://greeter/ HTTP/1.1\r\nHost: greeter\r\nConnection: close\r\n\r\n");
        serviceAnswers("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        assertTrue(atClient().contains("connection: close\r\n"));
        assertFalse(client.isOpen());
    }

    private void send(String text) {
        client.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
        client.runPendingTasks();
    }

    private void serviceAnswers(String text) {
        context.stream().channel().writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
        client.runPendingTasks();
    }

    private String fromClientAtService() {
        return drain(context.stream().channel());
    }

    private String atClient() {
        return drain(client);
    }

    private static String drain(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf bytes = (ByteBuf) out;
            text.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        return text.toString();
    }
}
