package network.micro.tunnel.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import network.micro.tunnel.LinkListener;
import network.micro.tunnel.Tunnel;
import network.micro.tunnel.TunnelFactory;
import network.micro.tunnel.TunnelOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Starts tunnels on event loops it owns: one thread accepting connections, a pool doing the I/O of every link, and one
 * thread dialling seeds (it resolves host names, which may block). Deactivation closes every tunnel still running.
 */
@Component(service = TunnelFactory.class)
public final class NettyTunnelFactory implements TunnelFactory {

    private static final Logger LOG = System.getLogger(NettyTunnelFactory.class.getName());
    private static final long QUIET_PERIOD_MILLIS = 0;
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 2000;

    private final Set<NettyTunnel> tunnels = ConcurrentHashMap.newKeySet();
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private EventExecutor dialer;

    @Activate
    void activate() {
        acceptors = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("micro-tunnel-accept", true), NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(
                0, new DefaultThreadFactory("micro-tunnel-io", true), NioIoHandler.newFactory());
        dialer = new DefaultEventExecutor(new DefaultThreadFactory("micro-tunnel-dial", true));
        LOG.log(Level.DEBUG, "tunnel event loops started");
    }

    @Deactivate
    void deactivate() {
        for (NettyTunnel tunnel : List.copyOf(tunnels)) {
            tunnel.close();
        }
        for (var group : List.of(acceptors, workers, dialer)) {
            group.shutdownGracefully(QUIET_PERIOD_MILLIS, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
        for (var group : List.of(acceptors, workers, dialer)) {
            group.terminationFuture().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS * 2);
        }
        LOG.log(Level.DEBUG, "tunnel event loops stopped");
    }

    @Override
    public Tunnel start(TunnelOptions options, LinkListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        if (workers == null || workers.isShuttingDown()) {
            throw new IllegalStateException("tunnel factory is not active");
        }
        NettyTunnel tunnel = new NettyTunnel(options, listener, acceptors, workers, dialer, tunnels::remove);
        tunnels.add(tunnel);
        try {
            tunnel.start();
        } catch (RuntimeException e) {
            tunnel.close();
            throw e;
        }
        return tunnel;
    }
}
