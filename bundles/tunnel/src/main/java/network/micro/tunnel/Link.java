package network.micro.tunnel;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.concurrent.Future;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/** One authenticated connection to a peer node. Symmetric once up: either end may send and open streams. */
@ProviderType
public interface Link {

    /** Which end dialed. */
    enum Direction {
        /** The peer dialed this node. */
        IN,
        /** This node dialed the peer. */
        OUT
    }

    /** Where a link is in its life. */
    enum State {
        /** TLS or authentication still in progress. */
        HANDSHAKING,
        /** Authenticated both ways; carries messages and streams. */
        UP,
        /** Closed; never comes back (a new link replaces it). */
        DOWN
    }

    /** The peer's node id. */
    String peerId();

    /** The address the peer advertises for others to dial, {@code host:port}; may be empty if it does not listen. */
    String peerAddress();

    /** The socket address of the other end of this connection. */
    SocketAddress remoteAddress();

    Direction direction();

    State state();

    /** Smoothed round-trip time over HTTP/2 PINGs; never zero. */
    Duration rtt();

    /** Bytes received on the connection, TLS included. */
    long bytesIn();

    /** Bytes sent on the connection, TLS included. */
    long bytesOut();

    /** When the link came up. */
    Instant upSince();

    /**
     * Sends a control message to the peer.
     *
     * @param json one JSON object; the top-level key {@code micro.link} is reserved for the link itself
     * @return completes when written, or fails if the link is down
     * @throws IllegalArgumentException if {@code json} is not one JSON object, or larger than the peer accepts
     */
    Future<Void> send(String json);

    /**
     * Opens a stream to the peer for proxied traffic and sends {@code headers} on it (without ending the stream).
     *
     * @param headers the request headers naming what the stream is for
     * @param streamHandler added to the new stream's pipeline before the headers go out
     * @return completes with the stream once its headers are written
     */
    Future<Http2StreamChannel> openStream(Http2Headers headers, ChannelHandler streamHandler);

    /** Closes the link, telling the peer why. */
    void close(String reason);
}
