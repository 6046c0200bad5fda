package network.micro.tunnel.internal;

import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import network.micro.support.Backoff;

/**
 * Keeps one seed dialled: dials it, and after every failure or lost link dials again after a backoff, resolving the
 * host name afresh each time. While a link to the seed's node is up (in either direction) it does not dial, so that two
 * nodes that seed each other settle on one link. Runs on the tunnel's dialer executor, where blocking name resolution
 * cannot stall a link.
 */
final class SeedDialer {

    private final NettyTunnel tunnel;
    private final String hostPort;
    private final InetSocketAddress target;
    private final Backoff backoff;
    private volatile String peerId;
    private ScheduledFuture<?> next;
    private boolean connecting;
    private boolean stopped;
    private int failures;

    SeedDialer(NettyTunnel tunnel, String hostPort) {
        this.tunnel = tunnel;
        this.hostPort = hostPort;
        this.target = HostPorts.parse(hostPort);
        this.backoff = new Backoff(
                tunnel.options().reconnectBackoffMin(), tunnel.options().reconnectBackoffMax());
    }

    void start() {
        run(this::attempt);
    }

    void stop() {
        run(() -> {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
        });
    }

    /** The seed turned out to be this node; any thread. */
    void learnedPeer(String id) {
        peerId = id;
    }

    /** A connection this seed made closed; any thread. */
    void connectionClosed(boolean wasUp) {
        run(() -> {
            connecting = false;
            if (wasUp) {
                backoff.reset();
                failures = 0;
            }
            retryLater();
        });
    }

    /** A link to {@code id} went down; if that is this seed's node, dial it again soon. Any thread. */
    void peerLost(String id) {
        if (id.equals(peerId)) {
            run(() -> {
                if (!connecting && !stopped) {
                    backoff.reset();
                    retryLater();
                }
            });
        }
    }

    /** Runs on the dialer executor; once the factory shuts down there is nothing left to dial. */
    private void run(Runnable task) {
        if (tunnel.dialer().isShuttingDown()) {
            return;
        }
        try {
            tunnel.dialer().execute(task);
        } catch (RejectedExecutionException e) {
            // the factory shut down between the check and the call
        }
    }

    private void attempt() {
        next = null;
        if (stopped || connecting || tunnel.isClosed()) {
            return;
        }
        String known = peerId;
        if (known != null && tunnel.isLinked(known)) {
            schedule(backoff.max());
            return;
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(target.getHostString()), target.getPort());
        } catch (UnknownHostException e) {
            failed("cannot resolve " + target.getHostString());
            return;
        }
        connecting = true;
        tunnel.log(Level.DEBUG, "dialling {0} at {1}", hostPort, address);
        ChannelFuture connected = tunnel.connect(address, this);
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                run(() -> {
                    connecting = false;
                    failed(LinkHandler.describe(f.cause()));
                });
            }
        });
    }

    private void failed(String reason) {
        failures++;
        Level level = failures == 1 ? Level.INFO : Level.DEBUG;
        Duration delay = backoff.next();
        tunnel.log(level, "cannot dial {0}: {1}; retrying in {2} ms", hostPort, reason, delay.toMillis());
        schedule(delay);
    }

    private void retryLater() {
        if (!stopped && next == null) {
            schedule(backoff.next());
        }
    }

    private void schedule(Duration delay) {
        if (stopped) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        if (!tunnel.dialer().isShuttingDown()) {
            next = tunnel.dialer().schedule(this::attempt, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
