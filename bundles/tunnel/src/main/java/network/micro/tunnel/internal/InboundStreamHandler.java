package network.micro.tunnel.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * The first handler of every stream the peer opens: waits for its headers, steps aside and lets the link decide what
 * the stream is (the control stream, a proxied stream, or one to reset).
 */
@ChannelHandler.Sharable
final class InboundStreamHandler extends ChannelInboundHandlerAdapter {

    private final NettyLink link;

    InboundStreamHandler(NettyLink link) {
        this.link = link;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.pipeline().remove(this);
        if (msg instanceof Http2HeadersFrame headers) {
            link.inboundStream((Http2StreamChannel) ctx.channel(), headers);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }
}
