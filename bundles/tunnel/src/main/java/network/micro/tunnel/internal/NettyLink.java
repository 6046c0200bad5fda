package network.micro.tunnel.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import network.micro.tunnel.Link;
import network.micro.tunnel.TunnelOptions;

/**
 * One connection to a peer and its handshake, from TCP connect to close. Every method that is not part of {@link Link}
 * runs on the connection's event loop (stream channels share it), so the handshake state needs no locking; what
 * {@link Link} readers see from other threads is volatile.
 *
 * <p>Handshake, dialer side: TLS, then the dialer opens the control stream with its id, network, address and nonce
 * ({@link #openControlStream()}); the listener answers with its own and its proof ({@link #inboundStream}); the dialer
 * checks it and sends its own proof ({@link #listenerAnswered}); the listener checks that ({@link ProofCheck}) and
 * sends a welcome. Both ends then ask the tunnel to admit the link ({@link #authenticated()}).
 */
final class NettyLink implements Link {

    /** Log level of a connection refused for cause. */
    static final Level REFUSED = Level.WARNING;

    /** Log level of an ordinary end. */
    static final Level LIFECYCLE = Level.INFO;

    /** Log level of a close nobody needs to hear about, such as a duplicate link. */
    static final Level QUIET = Level.DEBUG;

    /** The reason given to the peer when a duplicate link is closed. */
    static final String DUPLICATE = "duplicate link";

    static final String CONTROL_PATH = "/micro/control";
    static final String HEADER_NODE = "micro-node";
    static final String HEADER_NETWORK = "micro-network";
    static final String HEADER_ADDRESS = "micro-address";
    static final String HEADER_NONCE = "micro-nonce";
    static final String HEADER_PROOF = "micro-proof";
    static final String HEADER_REASON = "micro-reason";

    private static final long MIN_RTT_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final int RTT_GAIN_SHIFT = 3;

    private final NettyTunnel tunnel;
    private final TunnelOptions options;
    private final Channel channel;
    private final Direction direction;
    private final SeedDialer seed;
    private final ByteCounter bytes = new ByteCounter();
    private final String localNonce = LinkProofs.newNonce();

    private Http2StreamChannel control;
    private LinkProofs.Binding binding;
    private byte[] localFingerprint;
    private byte[] peerFingerprint;
    private long handshakeSentNanos;
    private ScheduledFuture<?> handshakeTimer;
    private boolean holdsPendingSlot;
    private String closeReason;
    private Level closeLevel = LIFECYCLE;

    private volatile State state = State.HANDSHAKING;
    private volatile String peerId = "";
    private volatile String peerAddress = "";
    private volatile String dialerNonce = "";
    private volatile long rttNanos;
    private volatile boolean rttProvisional;
    private volatile Instant upSince;

    NettyLink(NettyTunnel tunnel, Channel channel, Direction direction, SeedDialer seed) {
        this.tunnel = tunnel;
        this.options = tunnel.options();
        this.channel = channel;
        this.direction = direction;
        this.seed = seed;
        if (direction == Direction.OUT) {
            dialerNonce = localNonce;
        }
    }

    ByteCounter byteCounter() {
        return bytes;
    }

    Channel channel() {
        return channel;
    }

    SeedDialer seed() {
        return seed;
    }

    String dialerId() {
        return direction == Direction.OUT ? options.nodeId() : peerId;
    }

    String dialerNonce() {
        return dialerNonce;
    }

    void holdPendingSlot() {
        holdsPendingSlot = true;
    }

    // ---- connection events, from LinkHandler

    void connected() {
        handshakeTimer = channel.eventLoop()
                .schedule(
                        () -> fail(
                                "not authenticated within "
                                        + options.handshakeTimeout().toMillis() + " ms",
                                REFUSED),
                        options.handshakeTimeout().toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    void tlsEstablished(SslHandler ssl) {
        if (!ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
            fail("peer did not negotiate HTTP/2 (ALPN h2)", REFUSED);
            return;
        }
        SSLSession session = ssl.engine().getSession();
        try {
            localFingerprint = LinkProofs.fingerprint(session.getLocalCertificates()[0]);
            peerFingerprint = LinkProofs.fingerprint(session.getPeerCertificates()[0]);
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            fail("peer presented no TLS certificate", REFUSED);
            return;
        }
        tunnel.log(Level.DEBUG, "TLS up with {0}", remoteAddress());
        LinkPipeline.widenConnectionWindow(channel.pipeline().get(Http2FrameCodec.class));
        if (direction == Direction.OUT) {
            openControlStream();
        }
    }

    void goAway(long errorCode) {
        if (errorCode != Http2Error.NO_ERROR.code()) {
            fail("peer sent GOAWAY " + Http2Error.valueOf(errorCode), REFUSED);
        }
    }

    void disconnected() {
        State was = state;
        state = State.DOWN;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        releasePendingSlot();
        String reason = closeReason != null ? closeReason : "connection closed by peer";
        tunnel.linkClosed(this, was, reason, closeLevel);
    }

    // ---- handshake, dialer side

    private void openControlStream() {
        new Http2StreamChannelBootstrap(channel)
                .handler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.pipeline()
                                .addLast(
                                        new ControlCodec(options.maxControlMessageBytes()),
                                        new DialerHandshake(NettyLink.this),
                                        new ControlStreamHandler(NettyLink.this));
                    }
                })
                .open()
                .addListener((Future<Http2StreamChannel> opened) -> {
                    if (!opened.isSuccess()) {
                        fail("cannot open the control stream: " + opened.cause(), REFUSED);
                        return;
                    }
                    control = opened.getNow();
                    Http2Headers headers = new DefaultHttp2Headers()
                            .method("POST")
                            .scheme("https")
                            .path(CONTROL_PATH)
                            .set(HEADER_NODE, options.nodeId())
                            .set(HEADER_NETWORK, options.network())
                            .set(HEADER_ADDRESS, tunnel.advertiseAddress())
                            .set(HEADER_NONCE, localNonce);
                    handshakeSentNanos = System.nanoTime();
                    control.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false));
                });
    }

    void listenerAnswered(Http2Headers headers) {
        if (binding != null) {
            return;
        }
        String id = text(headers.get(HEADER_NODE));
        if (id.equals(options.nodeId())) {
            if (seed != null) {
                seed.learnedPeer(id);
            }
            fail("dialed itself", LIFECYCLE);
            return;
        }
        if (!"200".contentEquals(text(headers.status()))) {
            fail("peer refused the link: " + text(headers.get(HEADER_REASON)), REFUSED);
            return;
        }
        handshakeRttSample(System.nanoTime() - handshakeSentNanos);
        String nonce = text(headers.get(HEADER_NONCE));
        if (id.isEmpty() || !LinkProofs.isNonce(nonce)) {
            fail("malformed answer to the control request", REFUSED);
            return;
        }
        peerId = id;
        peerAddress = text(headers.get(HEADER_ADDRESS));
        if (seed != null) {
            seed.learnedPeer(id);
        }
        binding = new LinkProofs.Binding(
                options.network(), options.nodeId(), id, localNonce, nonce, localFingerprint, peerFingerprint);
        String expected = LinkProofs.proof(options.token(), LinkProofs.LISTENER, binding);
        if (!LinkProofs.matches(expected, text(headers.get(HEADER_PROOF)))) {
            closeReason = "token mismatch: the listener's proof does not match this node's token";
            closeLevel = REFUSED;
            control.writeAndFlush(ControlMessages.bye("token mismatch")).addListener(f -> channel.close());
            return;
        }
        control.writeAndFlush(ControlMessages.auth(LinkProofs.proof(options.token(), LinkProofs.DIALER, binding)));
    }

    // ---- handshake, listener side

    void inboundStream(Http2StreamChannel stream, Http2HeadersFrame frame) {
        if (state == State.UP) {
            tunnel.deliverStream(this, stream, frame);
        } else if (direction == Direction.IN && control == null && isControlRequest(frame.headers())) {
            ReferenceCountUtil.release(frame);
            acceptControlStream(stream, frame.headers());
        } else {
            tunnel.log(
                    Level.DEBUG,
                    "reset stream {0} from {1}: link not up",
                    stream.stream().id(),
                    remoteAddress());
            ReferenceCountUtil.release(frame);
            stream.close();
        }
    }

    private static boolean isControlRequest(Http2Headers headers) {
        return "POST".contentEquals(text(headers.method())) && CONTROL_PATH.contentEquals(text(headers.path()));
    }

    private void acceptControlStream(Http2StreamChannel stream, Http2Headers headers) {
        control = stream;
        String id = text(headers.get(HEADER_NODE));
        String network = text(headers.get(HEADER_NETWORK));
        String nonce = text(headers.get(HEADER_NONCE));
        if (!options.network().equals(network)) {
            refuseControlRequest(
                    "network mismatch: peer is in network '" + network + "', this node in '" + options.network() + "'",
                    REFUSED);
            return;
        }
        if (id.isEmpty() || !LinkProofs.isNonce(nonce)) {
            refuseControlRequest("malformed control request", REFUSED);
            return;
        }
        if (id.equals(options.nodeId())) {
            refuseControlRequest("peer has this node's own id, " + id, LIFECYCLE);
            return;
        }
        peerId = id;
        peerAddress = text(headers.get(HEADER_ADDRESS));
        dialerNonce = nonce;
        binding = new LinkProofs.Binding(
                options.network(), id, options.nodeId(), nonce, localNonce, peerFingerprint, localFingerprint);
        String expected = LinkProofs.proof(options.token(), LinkProofs.DIALER, binding);
        stream.pipeline()
                .addLast(
                        new ControlCodec(options.maxControlMessageBytes()),
                        new ProofCheck(expected, new ProofCheck.Outcome() {
                            @Override
                            public void verified() {
                                handshakeRttSample(System.nanoTime() - handshakeSentNanos);
                                authenticated();
                            }

                            @Override
                            public void refused(String reason) {
                                fail(reason, REFUSED);
                            }
                        }),
                        new ControlStreamHandler(this));
        Http2Headers answer = new DefaultHttp2Headers()
                .status("200")
                .set(HEADER_NODE, options.nodeId())
                .set(HEADER_ADDRESS, tunnel.advertiseAddress())
                .set(HEADER_NONCE, localNonce)
                .set(HEADER_PROOF, LinkProofs.proof(options.token(), LinkProofs.LISTENER, binding));
        handshakeSentNanos = System.nanoTime();
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(answer, false));
    }

    /** Answers the control request with a refusal naming this node, so that a node that dialed itself knows. */
    private void refuseControlRequest(String reason, Level level) {
        closeReason = reason;
        closeLevel = level;
        Http2Headers answer = new DefaultHttp2Headers()
                .status("403")
                .set(HEADER_NODE, options.nodeId())
                .set(HEADER_REASON, reason);
        control.writeAndFlush(new DefaultHttp2HeadersFrame(answer, true)).addListener(f -> channel.close());
    }

    // ---- both sides

    /** Both proofs are verified: the tunnel decides whether this link or a duplicate of it stays. */
    void authenticated() {
        if (state != State.HANDSHAKING) {
            return;
        }
        Runnable welcome = direction == Direction.IN ? () -> control.writeAndFlush(ControlMessages.welcome()) : null;
        if (!tunnel.admit(this, welcome)) {
            close(DUPLICATE, QUIET);
        }
    }

    /** Called by the tunnel, under its lock, when it admits the link. */
    void markUp() {
        handshakeTimer.cancel(false);
        releasePendingSlot();
        upSince = Instant.now();
        state = State.UP;
        channel.pipeline()
                .addBefore(
                        LinkPipeline.LINK,
                        LinkPipeline.KEEPALIVE,
                        new KeepaliveHandler(
                                options.keepaliveInterval(), options.deadAfter(), new KeepaliveHandler.Probe() {
                                    @Override
                                    public void rttSample(long nanos) {
                                        NettyLink.this.rttSample(nanos);
                                    }

                                    @Override
                                    public void dead(String reason) {
                                        fail(reason, LIFECYCLE);
                                    }
                                }));
    }

    /** Called by the tunnel when a duplicate replaced this link after it was reported up. */
    void markReplaced() {
        state = State.DOWN;
    }

    void controlMessage(ControlMessage message) {
        String type = message.linkType();
        if (ControlMessages.BYE.equals(type)) {
            peerSaidBye(message.text("reason"));
        } else if (type != null) {
            tunnel.log(Level.DEBUG, "ignored link message {0} from {1}", type, peerId);
        } else if (state == State.UP) {
            tunnel.deliverControl(this, message.json());
        }
    }

    void peerSaidBye(String reason) {
        if (closeReason == null) {
            closeReason = "peer closed the link: " + reason;
            closeLevel = reason.contains("token mismatch") ? REFUSED : DUPLICATE.equals(reason) ? QUIET : LIFECYCLE;
        }
        channel.close();
    }

    void rttSample(long nanos) {
        long sample = Math.max(MIN_RTT_NANOS, nanos);
        long smoothed = rttNanos;
        rttNanos = smoothed == 0 || rttProvisional ? sample : smoothed + ((sample - smoothed) >> RTT_GAIN_SHIFT);
        rttProvisional = false;
    }

    /**
     * A round trip of the handshake: an estimate until the first keepalive answers, then dropped. It includes TLS
     * and a cold JVM's first proofs, often a hundred times a ping's, and smoothing would carry that for a minute.
     */
    void handshakeRttSample(long nanos) {
        if (rttNanos == 0 || rttProvisional) {
            rttNanos = Math.max(MIN_RTT_NANOS, nanos);
            rttProvisional = true;
        }
    }

    /** Closes the connection at once; the first reason given is the one logged. */
    void fail(String reason, Level level) {
        if (closeReason == null) {
            closeReason = reason;
            closeLevel = level;
        }
        channel.close();
    }

    /** Says bye on the control stream, then closes. */
    void close(String reason, Level level) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> close(reason, level));
            return;
        }
        if (closeReason == null) {
            closeReason = reason;
            closeLevel = level;
        }
        if (control != null && control.isActive()) {
            control.writeAndFlush(ControlMessages.bye(reason)).addListener(f -> channel.close());
        } else {
            channel.close();
        }
    }

    private void releasePendingSlot() {
        if (holdsPendingSlot) {
            holdsPendingSlot = false;
            tunnel.releasePendingSlot();
        }
    }

    private static String text(CharSequence value) {
        return value == null ? "" : value.toString();
    }

    // ---- Link

    @Override
    public String peerId() {
        return peerId;
    }

    @Override
    public String peerAddress() {
        return peerAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public Duration rtt() {
        return Duration.ofNanos(Math.max(MIN_RTT_NANOS, rttNanos));
    }

    @Override
    public long bytesIn() {
        return bytes.in();
    }

    @Override
    public long bytesOut() {
        return bytes.out();
    }

    @Override
    public Instant upSince() {
        return upSince;
    }

    @Override
    public Future<Void> send(String json) {
        ControlMessage message;
        try {
            message = ControlMessages.parse(json);
        } catch (ControlMessageException e) {
            throw new IllegalArgumentException("control message rejected: " + e.getMessage(), e);
        }
        if (message.object().has(ControlMessages.LINK_KEY)) {
            throw new IllegalArgumentException("control message uses the reserved key " + ControlMessages.LINK_KEY);
        }
        String line = message.object().toString();
        if (ByteBufUtil.utf8Bytes(line) > options.maxControlMessageBytes()) {
            throw new IllegalArgumentException("control message larger than " + options.maxControlMessageBytes());
        }
        Http2StreamChannel stream = control;
        if (state != State.UP || stream == null) {
            return channel.eventLoop().newFailedFuture(new IllegalStateException("link to " + peerId + " is down"));
        }
        return stream.writeAndFlush(line);
    }

    @Override
    public Future<Http2StreamChannel> openStream(Http2Headers headers, ChannelHandler streamHandler) {
        Promise<Http2StreamChannel> result = channel.eventLoop().newPromise();
        if (state != State.UP) {
            return result.setFailure(new IllegalStateException("link to " + peerId + " is down"));
        }
        new Http2StreamChannelBootstrap(channel)
                .handler(streamHandler)
                .open()
                .addListener((Future<Http2StreamChannel> opened) -> {
                    if (!opened.isSuccess()) {
                        result.setFailure(opened.cause());
                        return;
                    }
                    Http2StreamChannel stream = opened.getNow();
                    stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false))
                            .addListener((ChannelFutureListener) written -> {
                                if (written.isSuccess()) {
                                    result.setSuccess(stream);
                                } else {
                                    stream.close();
                                    result.setFailure(written.cause());
                                }
                            });
                });
        return result;
    }

    @Override
    public void close(String reason) {
        close(reason, LIFECYCLE);
    }

    @Override
    public String toString() {
        return "link " + direction + " " + (peerId.isEmpty() ? "?" : peerId) + " at " + remoteAddress() + " (" + state
                + ")";
    }
}
