package network.micro.tunnel.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import network.micro.tunnel.Link;
import network.micro.tunnel.LinkListener;
import network.micro.tunnel.Tunnel;
import network.micro.tunnel.TunnelOptions;

/**
 * A running tunnel: the listening socket, the seeds being dialled, and the links that are up, at most one per peer.
 *
 * <p>Link lifecycle callbacks ({@code linkUp}, {@code linkDown}) run under this tunnel's lock, so that the listener
 * sees them in the same order as {@link #links()} changes, even when a duplicate link on another event loop replaces
 * one.
 */
final class NettyTunnel implements Tunnel {

    private static final Logger LOG = System.getLogger(NettyTunnel.class.getName());
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final TunnelOptions options;
    private final LinkListener listener;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final EventExecutor dialer;
    private final Consumer<NettyTunnel> onClose;
    private final TlsContexts tls;
    private final AtomicInteger pending = new AtomicInteger();
    private final Set<NettyLink> connections = ConcurrentHashMap.newKeySet();
    private final List<SeedDialer> seeds = new CopyOnWriteArrayList<>();
    private final Map<String, NettyLink> up = new HashMap<>();
    private volatile Channel server;
    private volatile String advertiseAddress;
    private volatile boolean closed;

    NettyTunnel(
            TunnelOptions options,
            LinkListener listener,
            EventLoopGroup acceptors,
            EventLoopGroup workers,
            EventExecutor dialer,
            Consumer<NettyTunnel> onClose) {
        this.options = options;
        this.listener = listener;
        this.acceptors = acceptors;
        this.workers = workers;
        this.dialer = dialer;
        this.onClose = onClose;
        this.tls = TlsContexts.create(options);
    }

    TunnelOptions options() {
        return options;
    }

    TlsContexts tls() {
        return tls;
    }

    EventExecutor dialer() {
        return dialer;
    }

    /** What peers are told to dial: the advertise address, else the listen address with the port actually bound. */
    String advertiseAddress() {
        return advertiseAddress;
    }

    void start() {
        advertiseAddress = options.effectiveAdvertiseAddress();
        if (options.listenAddress() != null) {
            listen();
        }
        if (options.token().equals("go.micro.tunnel")) {
            log(Level.INFO, "uses the default token: any node can join this network");
        }
        for (String seed : options.seeds()) {
            dial(seed);
        }
    }

    private void listen() {
        InetSocketAddress address = HostPorts.parse(options.listenAddress());
        if (address.isUnresolved()) {
            address = new InetSocketAddress(address.getHostString(), address.getPort());
        }
        ChannelFuture bound = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new LinkPipeline(this))
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new UncheckedIOException(new IOException(
                    "node " + options.nodeId() + " cannot listen on " + options.listenAddress() + ": " + cause, cause));
        }
        server = bound.channel();
        boolean advertiseListen =
                options.advertiseAddress() == null || options.advertiseAddress().isEmpty();
        if (advertiseListen && address.getPort() == 0) {
            String host =
                    options.listenAddress().substring(0, options.listenAddress().lastIndexOf(':'));
            advertiseAddress = host + ":" + localAddress().getPort();
        }
        log(Level.INFO, "listening on {0}, network {1}", server.localAddress(), options.network());
    }

    /** Connects to an already resolved address for {@code seed}; the seed hears of failure through its listener. */
    ChannelFuture connect(InetSocketAddress address, SeedDialer seed) {
        return new Bootstrap()
                .group(workers)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        options.handshakeTimeout().toMillis())
                .handler(new LinkPipeline(this, seed))
                .connect(address);
    }

    @Override
    public InetSocketAddress localAddress() {
        Channel channel = server;
        return channel == null ? null : (InetSocketAddress) channel.localAddress();
    }

    @Override
    public synchronized List<Link> links() {
        return List.copyOf(up.values());
    }

    @Override
    public void dial(String hostPort) {
        HostPorts.parse(hostPort);
        if (closed) {
            throw new IllegalStateException("tunnel of node " + options.nodeId() + " is closed");
        }
        SeedDialer seed = new SeedDialer(this, hostPort);
        seeds.add(seed);
        seed.start();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        seeds.forEach(SeedDialer::stop);
        Channel channel = server;
        List<ChannelFuture> closing = new ArrayList<>();
        if (channel != null) {
            closing.add(channel.close());
        }
        for (NettyLink link : connections) {
            link.close("node " + options.nodeId() + " is shutting down", NettyLink.LIFECYCLE);
            closing.add(link.channel().closeFuture());
        }
        if (!isEventLoopThread()) {
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            for (ChannelFuture future : closing) {
                future.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }
        onClose.accept(this);
        log(Level.INFO, "tunnel closed");
    }

    private boolean isEventLoopThread() {
        for (var executor : workers) {
            if (executor.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    boolean isClosed() {
        return closed;
    }

    // ---- connections, from the links' event loops

    boolean takePendingSlot(SocketChannel ch) {
        if (closed) {
            return false;
        }
        if (pending.incrementAndGet() > options.maxPendingConnections()) {
            pending.decrementAndGet();
            log(
                    Level.WARNING,
                    "refused connection from {0}: more than {1} connections waiting to authenticate",
                    ch.remoteAddress(),
                    options.maxPendingConnections());
            return false;
        }
        return true;
    }

    void releasePendingSlot() {
        pending.decrementAndGet();
    }

    void track(NettyLink link) {
        connections.add(link);
        if (closed) {
            link.fail("tunnel closed", NettyLink.QUIET);
        }
    }

    synchronized boolean isLinked(String peerId) {
        return up.containsKey(peerId);
    }

    /**
     * Lets an authenticated link in, unless a link to the same peer is up and wins over it. Of two links between the
     * same nodes, both ends keep the one dialled by the node with the smaller id (then, if one node dialled both, the
     * one with the smaller dialer nonce), whatever order they came up in.
     *
     * @param beforeUp run once the link is admitted, before the listener hears of it
     */
    synchronized boolean admit(NettyLink link, Runnable beforeUp) {
        if (closed) {
            return false;
        }
        NettyLink existing = up.get(link.peerId());
        if (existing != null) {
            if (wins(existing, link)) {
                log(Level.INFO, "duplicate link from {0} closed, keeping {1}", link.remoteAddress(), existing);
                return false;
            }
            up.remove(link.peerId());
            existing.markReplaced();
            log(Level.INFO, "link {0} replaced by a duplicate from {1}", existing, link.remoteAddress());
            notifyDown(existing, "replaced by a duplicate link");
            existing.close(NettyLink.DUPLICATE, NettyLink.QUIET);
        }
        if (beforeUp != null) {
            beforeUp.run();
        }
        link.markUp();
        up.put(link.peerId(), link);
        log(
                Level.INFO,
                "link up with {0} ({1}, {2} at {3}, rtt {4} us)",
                link.peerId(),
                link.direction(),
                link.peerAddress().isEmpty() ? "-" : link.peerAddress(),
                link.remoteAddress(),
                String.valueOf(link.rtt().toNanos() / 1000));
        try {
            listener.linkUp(link);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, prefix() + "link listener failed on link up with " + link.peerId(), e);
        }
        return true;
    }

    private static boolean wins(NettyLink a, NettyLink b) {
        int byDialer = a.dialerId().compareTo(b.dialerId());
        return byDialer != 0 ? byDialer < 0 : a.dialerNonce().compareTo(b.dialerNonce()) <= 0;
    }

    void linkClosed(NettyLink link, Link.State was, String reason, Level level) {
        connections.remove(link);
        boolean reported;
        synchronized (this) {
            reported = up.remove(link.peerId(), link);
            if (reported) {
                log(Level.INFO, "link down with {0} at {1}: {2}", link.peerId(), link.remoteAddress(), reason);
                notifyDown(link, reason);
            }
        }
        if (!reported) {
            String peer = link.peerId().isEmpty() ? "" : " (node " + link.peerId() + ")";
            log(
                    was == Link.State.HANDSHAKING ? level : Level.DEBUG,
                    "{0} connection {1}{2} closed: {3}",
                    link.direction() == Link.Direction.IN ? "inbound" : "outbound",
                    link.remoteAddress(),
                    peer,
                    reason);
        }
        if (link.seed() != null) {
            link.seed().connectionClosed(was != Link.State.HANDSHAKING);
        }
        if (reported) {
            for (SeedDialer seed : seeds) {
                seed.peerLost(link.peerId());
            }
        }
    }

    private void notifyDown(NettyLink link, String reason) {
        try {
            listener.linkDown(link, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, prefix() + "link listener failed on link down with " + link.peerId(), e);
        }
    }

    void deliverControl(NettyLink link, String json) {
        log(Level.TRACE, "control message from {0}: {1} bytes", link.peerId(), json.length());
        try {
            listener.control(link, json);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, prefix() + "link listener failed on a control message from " + link.peerId(), e);
        }
    }

    void deliverStream(NettyLink link, Http2StreamChannel stream, Http2HeadersFrame frame) {
        log(Level.DEBUG, "stream {0} from {1}", stream.stream().id(), link.peerId());
        try {
            listener.stream(link, stream, frame.headers());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, prefix() + "link listener failed on a stream from " + link.peerId(), e);
            ReferenceCountUtil.release(frame);
            stream.close();
            return;
        }
        stream.pipeline().fireChannelRead(frame);
    }

    // ---- logging: every line names this node

    void log(Level level, String format, Object... args) {
        if (LOG.isLoggable(level)) {
            LOG.log(level, prefix() + MessageFormat.format(format, args));
        }
    }

    private String prefix() {
        return "node " + options.nodeId() + ": ";
    }
}
