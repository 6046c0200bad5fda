package network.micro.proxy.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodec;
import java.nio.charset.StandardCharsets;
import network.micro.proxy.connect.ConnectCodec;
import network.micro.proxy.h2.H2cCodec;
import network.micro.proxy.http1.Http1Codec;
import network.micro.proxy.testing.FakeContext;
import network.micro.testsupport.NettyLeakRule;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;

public class ProtocolSnifferTest {

    @Rule
    public final NettyLeakRule leaks = new NettyLeakRule();

    private final FakeContext context = new FakeContext();
    private final CodecRegistry codecs = new CodecRegistry(context);
    private final Http1Codec http1 = new Http1Codec();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ProtocolSniffer(codecs));

    {
        codecs.add(http1);
        codecs.add(new H2cCodec());
        codecs.add(new ConnectCodec());
    }

    @After
    public void close() {
        channel.finishAndReleaseAll();
        context.close();
    }

    @Test
    public void http1GoesToTheHttp1Codec() {
        send("GET http://go.micro.network/nodes HTTP/1.1\r\n\r\n");

        assertNull(channel.pipeline().get(ProtocolSniffer.class));
        assertNotNull(channel.pipeline().get(HttpServerCodec.class));
        assertTrue("the opening bytes reach the codec", atClient().startsWith("HTTP/1.1 200 OK"));
    }

    @Test
    public void thePrefaceGoesToTheH2Codec() {
        String preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
        send(preface.substring(0, 10));
        assertNotNull("a prefix of the preface waits", channel.pipeline().get(ProtocolSniffer.class));

        send(preface.substring(10));

        assertNotNull(channel.pipeline().get(Http2FrameCodec.class));
        assertNull(channel.pipeline().get(HttpServerCodec.class));
    }

    @Test
    public void connectGoesToTheConnectCodec() {
        send("CONN");
        assertNotNull(channel.pipeline().get(ProtocolSniffer.class));

        send("ECT echo:7 HTTP/1.1\r\n\r\n");

        assertEquals("echo", context.requests().get(0).service());
        assertNull(channel.pipeline().get(HttpRequestDecoder.class));
    }

    @Test
    public void garbageIsA400AndTheConnectionCloses() {
        send("\u0001\u0002 not http at all\r\n\r\n");
        String answer = atClient();

        assertTrue(answer, answer.startsWith("HTTP/1.1 400 Bad Request\r\n"));
        assertTrue(answer, answer.contains("malformed request: not HTTP/1.1, HTTP/2 prior knowledge or CONNECT"));
        assertFalse(channel.isOpen());
    }

    @Test
    public void anEndlessMethodIsA400() {
        send("A".repeat(ProtocolSniffer.MAX_OPENING_BYTES));

        assertTrue(atClient().startsWith("HTTP/1.1 400 Bad Request\r\n"));
    }

    @Test
    public void withoutCodecsEveryoneGets503() {
        EmbeddedChannel bare = new EmbeddedChannel(new ProtocolSniffer(new CodecRegistry(context)));
        bare.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        ByteBuf answer = bare.readOutbound();

        assertTrue(answer.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 503 Service Unavailable"));
        answer.release();
        bare.finishAndReleaseAll();
    }

    @Test
    public void removingACodecClosesOnlyItsConnections() {
        send("GET http://go.micro.network/nodes HTTP/1.1\r\n\r\n");
        EmbeddedChannel other = new EmbeddedChannel(new ProtocolSniffer(codecs));
        other.writeInbound(Unpooled.copiedBuffer("CONNECT echo:7 HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));

        codecs.remove(http1);
        channel.runPendingTasks();
        other.runPendingTasks();

        assertFalse(channel.isOpen());
        assertTrue(other.isOpen());
        assertEquals(2, codecs.codecs().size());
        other.finishAndReleaseAll();
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
    }

    private String atClient() {
        StringBuilder text = new StringBuilder();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf bytes = (ByteBuf) out;
            text.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        return text.toString();
    }
}
