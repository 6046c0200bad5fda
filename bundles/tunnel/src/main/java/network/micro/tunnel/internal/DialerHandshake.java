package network.micro.tunnel.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The dialer's side of the handshake, on the control stream after the {@link ControlCodec}: takes the listener's
 * answer (its headers carry its id, nonce and proof), then waits for its welcome. Removes itself once the link is up.
 */
final class DialerHandshake extends ChannelInboundHandlerAdapter {

    private final NettyLink link;

    DialerHandshake(NettyLink link) {
        this.link = link;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame headers) {
            link.listenerAnswered(headers.headers());
        } else if (msg instanceof ControlMessage message) {
            String type = message.linkType();
            if (ControlMessages.WELCOME.equals(type)) {
                ctx.pipeline().remove(this);
                link.authenticated();
            } else if (ControlMessages.BYE.equals(type)) {
                link.peerSaidBye(message.text("reason"));
            } else {
                link.fail("listener sent a control message before its welcome", NettyLink.REFUSED);
            }
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ControlMessageException) {
            link.fail("bad control message during the handshake: " + cause.getMessage(), NettyLink.REFUSED);
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
