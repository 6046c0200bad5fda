package network.micro.tunnel.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import network.micro.tunnel.Link;

/**
 * Builds a link's connection pipeline, the same for both directions but for the TLS role:
 *
 * <pre>
 * bytes (ByteCounter) - tls (SslHandler) - h2 (Http2FrameCodec) - mux (Http2MultiplexHandler)
 *     - [keepalive (KeepaliveHandler), once up] - link (LinkHandler)
 * </pre>
 *
 * <p>HTTP/2 normally lets only the client open streams; here the listener (the TLS server) opens them too once the link
 * is up, with even stream ids, so both codecs skip the request/response pseudo-header checks.
 */
final class LinkPipeline extends ChannelInitializer<SocketChannel> {

    static final String BYTES = "bytes";
    static final String TLS = "tls";
    static final String HTTP2 = "h2";
    static final String MUX = "mux";
    static final String KEEPALIVE = "keepalive";
    static final String LINK = "link";

    private final NettyTunnel tunnel;
    private final Link.Direction direction;
    private final SeedDialer seed;

    /** For accepted connections. */
    LinkPipeline(NettyTunnel tunnel) {
        this(tunnel, Link.Direction.IN, null);
    }

    /** For connections dialled to {@code seed}. */
    LinkPipeline(NettyTunnel tunnel, SeedDialer seed) {
        this(tunnel, Link.Direction.OUT, seed);
    }

    private LinkPipeline(NettyTunnel tunnel, Link.Direction direction, SeedDialer seed) {
        this.tunnel = tunnel;
        this.direction = direction;
        this.seed = seed;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (direction == Link.Direction.IN && !tunnel.takePendingSlot(ch)) {
            ch.close();
            return;
        }
        NettyLink link = new NettyLink(tunnel, ch, direction, seed);
        if (direction == Link.Direction.IN) {
            link.holdPendingSlot();
        }
        tunnel.track(link);
        boolean server = direction == Link.Direction.IN;
        SslHandler tls = newSslHandler(ch, server);
        tls.setHandshakeTimeoutMillis(tunnel.options().handshakeTimeout().toMillis());
        Http2FrameCodecBuilder codec = server ? Http2FrameCodecBuilder.forServer() : Http2FrameCodecBuilder.forClient();
        codec.validateRequiredPseudoHeaders(false).gracefulShutdownTimeoutMillis(0);
        ch.pipeline()
                .addLast(BYTES, link.byteCounter())
                .addLast(TLS, tls)
                .addLast(HTTP2, codec.build())
                .addLast(MUX, new Http2MultiplexHandler(new InboundStreamHandler(link)))
                .addLast(LINK, new LinkHandler(link));
    }

    private SslHandler newSslHandler(SocketChannel ch, boolean server) {
        SslContext context = server ? tunnel.tls().server() : tunnel.tls().client();
        if (server) {
            return context.newHandler(ch.alloc());
        }
        InetSocketAddress remote = ch.remoteAddress();
        return remote == null
                ? context.newHandler(ch.alloc())
                : context.newHandler(ch.alloc(), remote.getHostString(), remote.getPort());
    }
}
