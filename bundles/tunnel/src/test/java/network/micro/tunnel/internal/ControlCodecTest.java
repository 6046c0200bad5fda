package network.micro.tunnel.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import network.micro.testsupport.NettyLeakRule;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;

public class ControlCodecTest {

    @Rule
    public final NettyLeakRule leaks = new NettyLeakRule();

    private final List<Throwable> errors = new ArrayList<>();
    private final EmbeddedChannel channel =
            new EmbeddedChannel(new ControlCodec(64), new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    errors.add(cause);
                }
            });

    @After
    public void finish() {
        channel.finishAndReleaseAll();
    }

    @Test
    public void decodesOneMessage() {
        channel.writeInbound(data("{\"type\":\"hello\"}\n"));

        ControlMessage message = channel.readInbound();
        assertEquals("{\"type\":\"hello\"}", message.json());
        assertEquals("hello", message.text("type"));
        assertNull(channel.readInbound());
    }

    @Test
    public void joinsAMessageSplitAcrossFrames() {
        channel.writeInbound(data("{\"type\":"));
        assertNull(channel.readInbound());
        channel.writeInbound(data("\"split\"}"), data("\n"));

        ControlMessage message = channel.readInbound();
        assertEquals("split", message.text("type"));
    }

    @Test
    public void splitsTwoMessagesInOneFrame() {
        channel.writeInbound(data("{\"n\":1}\n{\"n\":2}\n{\"n\":"));

        assertEquals("{\"n\":1}", ((ControlMessage) channel.readInbound()).json());
        assertEquals("{\"n\":2}", ((ControlMessage) channel.readInbound()).json());
        assertNull(channel.readInbound());
    }

    @Test
    public void refusesAnOversizedMessageWithoutNewline() {
        channel.writeInbound(data("{\"pad\":\"" + "x".repeat(80)));

        ControlMessageException error = error();
        assertTrue(error.getMessage(), error.getMessage().contains("larger than 64"));
        channel.writeInbound(data("{\"after\":true}\n"));
        assertNull("nothing is decoded after a framing error", channel.readInbound());
    }

    @Test
    public void refusesAnOversizedLine() {
        channel.writeInbound(data("{\"pad\":\"" + "x".repeat(70) + "\"}\n"));

        error();
        assertNull(channel.readInbound());
    }

    @Test
    public void refusesMalformedJson() {
        channel.writeInbound(data("{\"a\": tru}\n"));

        ControlMessageException error = error();
        assertEquals("malformed JSON at line 1 column 7 path $.a", error.getMessage());
    }

    @Test
    public void refusesLenientJson() {
        channel.writeInbound(data("{a:1}\n"));

        error();
    }

    @Test
    public void refusesJsonThatIsNotAnObject() {
        channel.writeInbound(data("[1,2]\n"));

        ControlMessageException error = error();
        assertEquals("not a JSON object", error.getMessage());
    }

    @Test
    public void refusesInvalidUtf8() {
        ByteBuf bad = Unpooled.buffer().writeBytes(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        channel.writeInbound(new DefaultHttp2DataFrame(bad.writeByte('\n')));

        error();
    }

    @Test
    public void passesHeadersThrough() {
        Http2HeadersFrame headers = new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"));
        channel.writeInbound(headers);

        assertEquals(headers, channel.readInbound());
    }

    @Test
    public void encodesAStringAsOneLine() {
        channel.writeOutbound("{\"type\":\"hi\"}");

        Http2DataFrame frame = channel.readOutbound();
        try {
            assertEquals("{\"type\":\"hi\"}\n", frame.content().toString(StandardCharsets.UTF_8));
            assertFalse(frame.isEndStream());
        } finally {
            frame.release();
        }
    }

    private ControlMessageException error() {
        assertEquals(errors.toString(), 1, errors.size());
        return (ControlMessageException) errors.get(0);
    }

    private static Http2DataFrame data(String text) {
        return new DefaultHttp2DataFrame(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }
}
