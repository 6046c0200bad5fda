package network.micro.tunnel.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts the bytes crossing the socket; first in the pipeline, so TLS overhead counts. Written on the event loop. */
final class ByteCounter extends ChannelDuplexHandler {

    private volatile long in;
    private volatile long out;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            in += buf.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            out += buf.readableBytes();
        }
        ctx.write(msg, promise);
    }

    long in() {
        return in;
    }

    long out() {
        return out;
    }
}
