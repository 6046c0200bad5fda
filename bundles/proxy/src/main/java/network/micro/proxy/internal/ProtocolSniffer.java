package network.micro.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import network.micro.proxy.codec.IngressCodec;
import network.micro.proxy.codec.IngressCodec.Detection;

/**
 * The first handler of every accepted connection: it waits for enough bytes to tell the protocol, hands the
 * connection to the codec that recognises them and leaves the pipeline. Bytes nobody recognises get a 400 and the
 * connection closes; other connections are not affected.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {

    /** The longest opening any codec needs to decide; the HTTP/2 preface is 24 bytes, a method token less. */
    static final int MAX_OPENING_BYTES = 64;

    private static final Logger LOG = System.getLogger(ProtocolSniffer.class.getName());

    private final CodecRegistry codecs;

    ProtocolSniffer(CodecRegistry codecs) {
        this.codecs = codecs;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        List<IngressCodec> offered = codecs.codecs();
        boolean needMore = false;
        for (IngressCodec codec : offered) {
            Detection detection = codec.detect(in.duplicate());
            if (detection == Detection.ACCEPT) {
                codecs.adopt(ctx.channel(), codec);
                ctx.pipeline().remove(this);
                return;
            }
            needMore |= detection == Detection.NEED_MORE;
        }
        if (needMore && in.readableBytes() < MAX_OPENING_BYTES) {
            return;
        }
        in.skipBytes(in.readableBytes());
        String reason = offered.isEmpty()
                ? "no protocol codec is installed"
                : "malformed request: not HTTP/1.1, HTTP/2 prior knowledge or CONNECT";
        int status = offered.isEmpty() ? 503 : 400;
        LOG.log(
                Level.DEBUG,
                "node {0}: refusing {1}: {2}",
                codecs.context().nodeId(),
                ctx.channel().remoteAddress(),
                reason);
        ctx.writeAndFlush(rawResponse(status, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    private static ByteBuf rawResponse(int status, String reason) {
        String body = reason + "\n";
        String text = "HTTP/1.1 " + status + (status == 400 ? " Bad Request" : " Service Unavailable") + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Connection: close\r\n\r\n" + body;
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
