package network.micro.tunnel.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
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

    /**
     * What one stream may have in flight before its reader takes it: bounds the memory a slow reader costs, and lets a
     * fast one run at link speed rather than one 64 KiB window per round trip through every hop.
     */
    static final int STREAM_WINDOW_BYTES = 1024 * 1024;

    /** What all streams of a link together may have in flight. */
    static final int CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;

    /**
     * How many streams a peer may reset in {@link #RESET_WINDOW_SECONDS} before the link is closed. Netty's default,
     * 200 in 30 s, guards a public server against rapid reset; on a link the peer has proven it holds the token, and a
     * relay resets a stream whenever a client goes away or a keep-alive request is done, so 200 would cut a busy link
     * within seconds and every route through it.
     */
    static final int MAX_RESETS_PER_WINDOW = 100_000;

    static final int RESET_WINDOW_SECONDS = 10;

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
        codec.validateRequiredPseudoHeaders(false)
                .gracefulShutdownTimeoutMillis(0)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS)
                .initialSettings(Http2Settings.defaultSettings().initialWindowSize(STREAM_WINDOW_BYTES));
        Http2FrameCodec frames = codec.build();
        ch.pipeline()
                .addLast(BYTES, link.byteCounter())
                .addLast(TLS, tls)
                .addLast(HTTP2, frames)
                .addLast(MUX, new Http2MultiplexHandler(new InboundStreamHandler(link)))
                .addLast(LINK, new LinkHandler(link));
    }

    /**
     * Lets all streams of a link together have {@link #CONNECTION_WINDOW_BYTES} in flight, not HTTP/2's 64 KiB: the
     * stream windows, not the connection's, are then what holds a slow reader's writer back. Called once the link's
     * HTTP/2 preface is on its way, when TLS is up.
     */
    static void widenConnectionWindow(Http2FrameCodec frames) {
        Http2Connection connection = frames.connection();
        try {
            connection
                    .local()
                    .flowController()
                    .incrementWindowSize(
                            connection.connectionStream(),
                            CONNECTION_WINDOW_BYTES - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
        } catch (Http2Exception e) {
            throw new IllegalStateException("cannot widen the connection window", e);
        }
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
