package network.micro.network.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

/**
 * Turns an HTTP/2 stream into a byte stream for the handlers after it: DATA frames in become {@code ByteBuf}, and
 * {@code ByteBuf} out becomes DATA frames. The peer's END_STREAM becomes {@link ChannelInputShutdownEvent}. Headers
 * after the first (trailers) carry nothing a byte stream needs and are dropped.
 */
final class StreamBytes extends ChannelDuplexHandler {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2DataFrame data) {
            boolean end = data.isEndStream();
            if (data.content().isReadable()) {
                ctx.fireChannelRead(data.content().retain());
            }
            data.release();
            if (end) {
                ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
        } else if (msg instanceof Http2HeadersFrame headers) {
            if (headers.isEndStream()) {
                ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof io.netty.buffer.ByteBuf bytes) {
            ctx.write(new DefaultHttp2DataFrame(bytes), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /** Ends this side of {@code stream}: an empty DATA frame with END_STREAM. */
    static Future<Void> shutdownOutput(Http2StreamChannel stream) {
        return stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
    }
}
