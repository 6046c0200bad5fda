package network.micro.tunnel.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of the control stream once the link is up: delivers the peer's control messages, acts on the link's
 * own ones, and takes the link down when the stream breaks or ends.
 */
final class ControlStreamHandler extends ChannelInboundHandlerAdapter {

    private final NettyLink link;

    ControlStreamHandler(NettyLink link) {
        this.link = link;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ControlMessage message) {
            link.controlMessage(message);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ControlMessageException) {
            link.fail("bad control message: " + cause.getMessage(), NettyLink.REFUSED);
        } else {
            link.fail("control stream failed: " + cause, NettyLink.REFUSED);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        link.fail("control stream closed", NettyLink.LIFECYCLE);
        ctx.fireChannelInactive();
    }
}
