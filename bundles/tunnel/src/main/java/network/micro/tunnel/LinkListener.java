package network.micro.tunnel;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of what happens on the links of a tunnel. Methods run on Netty event loop threads: they must return quickly and
 * never block. For one link, calls come in order: {@code linkUp}, any number of {@code control} and {@code stream},
 * then {@code linkDown}.
 */
@ConsumerType
public interface LinkListener {

    /** A link authenticated both ways and is ready to carry control messages and streams. */
    void linkUp(Link link);

    /** A link that was up is gone; {@code reason} says why, for the log. */
    void linkDown(Link link, String reason);

    /** The peer sent a control message: one JSON object, as received. */
    void control(Link link, String json);

    /**
     * The peer opened a stream for proxied traffic. The listener adds its handlers to the stream's pipeline before
     * returning; the pipeline then receives the headers frame itself, followed by the stream's data frames. A stream
     * the listener does not want is closed, which resets it.
     */
    void stream(Link link, Http2StreamChannel stream, Http2Headers headers);
}
