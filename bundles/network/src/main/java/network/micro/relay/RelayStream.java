package network.micro.relay;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open byte stream to one instance of a service, local or across links.
 *
 * <p>{@link #channel()} carries {@code ByteBuf} both ways: writes go to the service, reads come from it. The
 * channel's writability follows the stream's flow control, so a writer that waits for {@code channelWritabilityChanged}
 * never grows memory. When the service ends its side, the handler sees the user event {@code
 * ChannelInputShutdownEvent.INSTANCE}; the channel closes once both sides have ended or either closes it.
 */
@ProviderType
public interface RelayStream {

    /** The stream's channel. */
    Channel channel();

    /** The node ids the stream crossed, the ingress first and the node that reached the instance last. */
    java.util.List<String> path();

    /** Ends this side of the stream: the service reads end-of-stream, and may still answer. */
    Future<Void> shutdownOutput();
}
