package network.micro.proxy.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import network.micro.api.HostPort;
import network.micro.api.Network;
import network.micro.api.NodeEndpoint;
import network.micro.api.NodeProperties;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The ingress listener. It binds the proxy address when activated and fails activation when it cannot, so a node
 * whose port is taken says so at once.
 */
@Component(service = ProxyListener.class, immediate = true)
public final class ProxyListener implements Ingress {

    /** Requests to the node's own endpoints are small; anything larger is refused. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private static final Logger LOG = System.getLogger(ProxyListener.class.getName());

    private final Map<String, NodeEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Network network;
    private final EventLoopGroup group;
    private final Channel server;

    @Activate
    public ProxyListener(BundleContext context, @Reference Network network) throws InterruptedException {
        this.network = network;
        HostPort address = HostPort.parse(NodeProperties.get(
                context::getProperty, NodeProperties.PROXY_ADDRESS, NodeProperties.DEFAULT_PROXY_ADDRESS));
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            this.server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                    .addLast(new IngressHandler(ProxyListener.this));
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

    @Deactivate
    void deactivate() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully().syncUninterruptibly();
        LOG.log(Level.INFO, "node {0}: proxy stopped", nodeId());
    }

    /** The address the listener is bound to. */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public String nodeId() {
        return network.node().id();
    }

    @Override
    public boolean isThisNode(String idOrAddress) {
        return idOrAddress.equals(network.node().id())
                || idOrAddress.equals(network.node().address());
    }

    @Override
    public Optional<NodeEndpoint> endpoint(String service) {
        return Optional.ofNullable(endpoints.get(service));
    }
}
