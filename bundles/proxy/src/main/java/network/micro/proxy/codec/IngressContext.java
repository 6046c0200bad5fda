package network.micro.proxy.codec;

import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.util.Optional;
import network.micro.api.NodeEndpoint;
import network.micro.relay.RelayRequest;
import network.micro.relay.RelayStream;
import org.osgi.annotation.versioning.ProviderType;

/** What the proxy listener offers the codecs: the node, its own endpoints, and streams to services. */
@ProviderType
public interface IngressContext {

    /** The header that names the node ids a response came through. */
    String PATH_HEADER = "Micro-Path";

    /** The header that asks for one node's own instance of a service, by id or address. */
    String NODE_HEADER = "Micro-Node";

    /** The header that names the service of an origin-form HTTP/1.1 request. */
    String SERVICE_HEADER = "Micro-Service";

    /** The id of this node. */
    String nodeId();

    /** Whether {@code idOrAddress} names this node. */
    boolean isThisNode(String idOrAddress);

    /** The node's own endpoint for {@code service}, if it serves one. */
    Optional<NodeEndpoint> endpoint(String service);

    /** A fresh id for one request, for logs across nodes. */
    String newRequestId();

    /**
     * Opens a stream to a service. Never throws: every failure completes the future with a {@link
     * network.micro.relay.RelayException} that carries the status and message to show.
     *
     * @see network.micro.relay.ServiceConnector#connect
     */
    Future<RelayStream> connect(RelayRequest request, EventLoop loop, ChannelHandler handler);
}
