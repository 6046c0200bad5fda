package network.micro.tunnel.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import javax.net.ssl.SSLException;

/**
 * The last handler of a link's connection: turns connection events (active, TLS done, errors, closed) into calls on the
 * {@link NettyLink}, and drops the connection-level HTTP/2 frames nothing else wants.
 */
final class LinkHandler extends ChannelInboundHandlerAdapter {

    private final NettyLink link;

    LinkHandler(NettyLink link) {
        this.link = link;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        link.connected();
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                link.tlsEstablished(ctx.pipeline().get(SslHandler.class));
            } else {
                link.fail(describe(done.cause()), NettyLink.REFUSED);
            }
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2GoAwayFrame goAway) {
            link.goAway(goAway.errorCode());
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        link.fail(describe(cause), NettyLink.REFUSED);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        link.disconnected();
    }

    /** A reason for the log, from the most telling cause in the chain. */
    static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof NotSslRecordException) {
                return "not a TLS connection";
            }
            if (t instanceof SslHandshakeTimeoutException) {
                return "TLS handshake timed out";
            }
            if (t instanceof Http2Exception) {
                return "HTTP/2 error: " + t.getMessage();
            }
            if (t instanceof SSLException) {
                return "TLS failed: " + t.getMessage();
            }
        }
        return String.valueOf(cause);
    }
}
