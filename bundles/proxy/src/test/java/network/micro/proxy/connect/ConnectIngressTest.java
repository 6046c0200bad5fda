package network.micro.proxy.connect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import network.micro.proxy.testing.FakeContext;
import network.micro.testsupport.NettyLeakRule;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;

public class ConnectIngressTest {

    @Rule
    public final NettyLeakRule leaks = new NettyLeakRule();

    private final FakeContext context = new FakeContext();
    private final EmbeddedChannel client = new EmbeddedChannel();

    {
        new ConnectCodec().configure(client, context);
    }

    @After
    public void close() {
        client.finishAndReleaseAll();
        context.close();
    }

    @Test
    public void connectAnswers200ThenRelaysBytesBothWaysIncludingEarlyOnes() {
        send("CONNECT echo:7 HTTP/1.1\r\nHost: echo:7\r\n\r\nearly bytes");

        assertEquals("echo", context.requests().get(0).service());
        assertEquals("HTTP/1.1 200 Connection Established\r\nMicro-Path: node-a,node-b\r\n\r\n", atClient());
        assertEquals("early bytes", atService());

        send("GET / HTTP/1.1\r\n\r\n");
        assertEquals("raw bytes, not parsed", "GET / HTTP/1.1\r\n\r\n", atService());
        context.stream().channel().writeInbound(Unpooled.copiedBuffer("pong", StandardCharsets.US_ASCII));
        assertEquals("pong", atClient());
    }

    @Test
    public void halfCloseTravelsBothWays() {
        send("CONNECT echo:7 HTTP/1.1\r\n\r\n");
        atClient();

        client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertTrue("the client's end reaches the service", context.stream().outputShut());
        assertTrue("the service may still answer", client.isOpen());

        context.stream().channel().writeInbound(Unpooled.copiedBuffer("last", StandardCharsets.US_ASCII));
        context.stream().channel().pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        client.runPendingTasks();
        assertEquals("last", atClient());
        assertFalse("both sides ended", client.isOpen());
    }

    @Test
    public void theServiceClosingClosesTheClient() {
        send("CONNECT echo:7 HTTP/1.1\r\n\r\n");

        context.stream().channel().close();
        client.runPendingTasks();

        assertFalse(client.isOpen());
    }

    @Test
    public void noRouteIsRefusedLikeHttp() {
        context.fail("nowhere", 502, "no route to service nowhere");

        send("CONNECT nowhere:22 HTTP/1.1\r\n\r\nearly");
        String answer = atClient();

        assertTrue(answer, answer.startsWith("HTTP/1.1 502 Bad Gateway\r\n"));
        assertTrue(answer, answer.endsWith("\r\n\r\nno route to service nowhere\n"));
        assertFalse(client.isOpen());
    }

    @Test
    public void aLoopIsA508() {
        context.fail("far", 508, "path node-a,node-b,node-a would loop");

        send("CONNECT far:22 HTTP/1.1\r\n\r\n");

        String answer = atClient();
        assertTrue(answer, answer.startsWith("HTTP/1.1 508 Loop Detected\r\n"));
        assertTrue(answer, answer.endsWith("path node-a,node-b,node-a would loop\n"));
    }

    @Test
    public void aTargetWithoutPortIsA400NamingIt() {
        send("CONNECT echo HTTP/1.1\r\n\r\n");
        String answer = atClient();

        assertTrue(answer, answer.startsWith("HTTP/1.1 400 Bad Request\r\n"));
        assertTrue(answer, answer.contains("malformed CONNECT target: address \"echo\" has no port"));
        assertTrue(context.requests().isEmpty());
        assertFalse(client.isOpen());
    }

    @Test
    public void theMicroNodeHeaderAsksForAnotherNode() {
        send("CONNECT go.micro.network:8081 HTTP/1.1\r\nMicro-Node: node-z\r\n\r\n");

        assertEquals("node-z", context.requests().get(0).node());
    }

    private void send(String text) {
        client.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
        client.runPendingTasks();
    }

    private String atService() {
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
