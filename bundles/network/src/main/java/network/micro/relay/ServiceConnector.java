package network.micro.relay;

import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens byte streams to services anywhere on the network, choosing the route again at every hop: local instances
 * first, then remote routes by metric, sharing load among equal ones. A route that fails before a byte was sent is
 * skipped for the next one.
 */
@ProviderType
public interface ServiceConnector {

    /**
     * Opens a stream for {@code request}.
     *
     * @param request the service and the way the request came so far
     * @param loop the event loop of the caller, on which a local connection is made
     * @param handler added to the stream channel's pipeline before any byte flows; it reads and writes
     *     {@code ByteBuf}
     * @return completes with the open stream, or fails with a {@link RelayException} that says why
     */
    Future<RelayStream> connect(RelayRequest request, EventLoop loop, ChannelHandler handler);
}
