package network.micro.proxy.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.Future;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import network.micro.api.HostPort;
import network.micro.api.Network;
import network.micro.api.Node;
import network.micro.api.NodeEndpoint;
import network.micro.api.NodeProperties;
import network.micro.proxy.codec.IngressCodec;
import network.micro.proxy.codec.IngressContext;
import network.micro.relay.RelayException;
import network.micro.relay.RelayRequest;
import network.micro.relay.RelayStream;
import network.micro.relay.ServiceConnector;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The ingress listener. It binds the proxy address when activated and fails activation when it cannot, so a node
 * whose port is taken says so at once. Each accepted connection goes to the {@link IngressCodec} service that
 * recognises its first bytes; codecs and the {@link ServiceConnector} may come and go while it runs.
 */
@Component(service = ProxyListener.class, immediate = true)
public final class ProxyListener implements IngressContext {

    private static final Logger LOG = System.getLogger(ProxyListener.class.getName());

    private final Map<String, NodeEndpoint> endpoints = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final CodecRegistry codecs = new CodecRegistry(this);
    private final Supplier<Node> node;
    private final EventLoopGroup group;
    private final Channel server;
    private volatile ServiceConnector connector;

    @Activate
    public ProxyListener(BundleContext context, @Reference Network network) throws InterruptedException {
        this(
                HostPort.parse(NodeProperties.get(
                        context::getProperty, NodeProperties.PROXY_ADDRESS, NodeProperties.DEFAULT_PROXY_ADDRESS)),
                network::node);
    }

    /** A listener on {@code address} for the node {@code node} supplies. */
    ProxyListener(HostPort address, Supplier<Node> node) throws InterruptedException {
        this.node = node;
        this.group =
                new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), NioIoHandler.newFactory());
        try {
            this.server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new ProtocolSniffer(codecs));
                        }
                    })
                    .bind(socketAddress(address))
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully();
            LOG.log(Level.ERROR, "node {0}: cannot listen on {1}: {2}", nodeId(), address, e.getMessage());
            throw e;
        }
        LOG.log(Level.INFO, "node {0}: proxy listening on {1}", nodeId(), server.localAddress());
    }

    private static InetSocketAddress socketAddress(HostPort address) {
        return address.host().isEmpty()
                ? new InetSocketAddress(address.port())
                : new InetSocketAddress(address.host(), address.port());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEndpoint(NodeEndpoint endpoint) {
        endpoints.put(endpoint.service(), endpoint);
    }

    void removeEndpoint(NodeEndpoint endpoint) {
        endpoints.remove(endpoint.service(), endpoint);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCodec(IngressCodec codec) {
        codecs.add(codec);
        LOG.log(Level.INFO, "node {0}: proxy speaks {1}", nodeId(), codec.protocol());
    }

    void removeCodec(IngressCodec codec) {
        codecs.remove(codec);
        LOG.log(Level.INFO, "node {0}: proxy no longer speaks {1}", nodeId(), codec.protocol());
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setConnector(ServiceConnector connector) {
        this.connector = connector;
    }

    void unsetConnector(ServiceConnector connector) {
        if (this.connector == connector) {
            this.connector = null;
        }
    }

    @Deactivate
    void deactivate() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        LOG.log(Level.INFO, "node {0}: proxy stopped", nodeId());
    }

    /** The address the listener is bound to. */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public String nodeId() {
        return node.get().id();
    }

    @Override
    public boolean isThisNode(String idOrAddress) {
        Node self = node.get();
        return idOrAddress.equals(self.id()) || idOrAddress.equals(self.address());
    }

    @Override
    public Optional<NodeEndpoint> endpoint(String service) {
        return Optional.ofNullable(endpoints.get(service));
    }

    @Override
    public String newRequestId() {
        return nodeId() + "-" + Long.toHexString(requests.incrementAndGet());
    }

    @Override
    public Future<RelayStream> connect(RelayRequest request, EventLoop loop, ChannelHandler handler) {
        ServiceConnector current = connector;
        if (current == null) {
            return loop.newFailedFuture(
                    new RelayException(RelayException.BAD_GATEWAY, "no route to service " + request.service()));
        }
        try {
            return current.connect(request, loop, handler);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node " + nodeId() + ": connector failed for " + request.service(), e);
            return loop.newFailedFuture(
                    new RelayException(RelayException.BAD_GATEWAY, "service " + request.service() + " failed: " + e));
        }
    }
}
