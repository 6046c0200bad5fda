package network.micro.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One protocol the proxy listener speaks, registered as an OSGi service. The listener offers the first bytes of each
 * new connection to every codec; the one that recognises them configures the connection's pipeline.
 *
 * <p>Detection must be unambiguous: at most one codec may {@link Detection#ACCEPT} a given opening.
 */
@ConsumerType
public interface IngressCodec {

    /** What {@link #detect} concluded. */
    enum Detection {
        /** The bytes open this codec's protocol. */
        ACCEPT,
        /** They do not. */
        REJECT,
        /** They could, once more bytes arrive. */
        NEED_MORE
    }

    /** A short name for logs, such as {@code http/1.1}. */
    String protocol();

    /**
     * Looks at the first bytes of a connection.
     *
     * @param opening the bytes received so far; readable bytes only, which the codec must not consume
     */
    Detection detect(ByteBuf opening);

    /**
     * Adds the codec's handlers at the end of {@code channel}'s pipeline. Called on the channel's event loop; the
     * opening bytes are then read again by the added handlers.
     */
    void configure(Channel channel, IngressContext context);
}
