package network.micro.proxy.testing;

import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import network.micro.api.NodeEndpoint;
import network.micro.proxy.codec.IngressContext;
import network.micro.relay.RelayException;
import network.micro.relay.RelayRequest;
import network.micro.relay.RelayStream;

/**
 * An {@link IngressContext} for codec tests on {@link EmbeddedChannel}s: node {@code node-a}, with the endpoint
 * {@code go.micro.network}; every stream it opens is an embedded channel the test plays the service on.
 */
public final class FakeContext implements IngressContext {

    public static final String NODE = "node-a";
    public static final List<String> PATH = List.of("node-a", "node-b");

    private final Map<String, RelayException> failures = new ConcurrentHashMap<>();
    private final List<RelayRequest> requests = new ArrayList<>();
    private final List<EmbeddedStream> streams = new ArrayList<>();
    private int ids;

    /** Makes streams to {@code service} fail. */
    public FakeContext fail(String service, int status, String message) {
        failures.put(service, new RelayException(status, message));
        return this;
    }

    public List<RelayRequest> requests() {
        return requests;
    }

    /** The streams opened so far, oldest first. */
    public List<EmbeddedStream> streams() {
        return streams;
    }

    /** The last stream opened. */
    public EmbeddedStream stream() {
        return streams.get(streams.size() - 1);
    }

    @Override
    public String nodeId() {
        return NODE;
    }

    @Override
    public boolean isThisNode(String idOrAddress) {
        return NODE.equals(idOrAddress);
    }

    @Override
    public Optional<NodeEndpoint> endpoint(String service) {
        return service.equals("go.micro.network") ? Optional.of(ECHO_ENDPOINT) : Optional.empty();
    }

    @Override
    public String newRequestId() {
        return NODE + "-" + ++ids;
    }

    @Override
    public Future<RelayStream> connect(RelayRequest request, EventLoop loop, ChannelHandler handler) {
        requests.add(request);
        RelayException failure = failures.get(request.service());
        if (failure != null) {
            return loop.newFailedFuture(failure);
        }
        EmbeddedStream stream = new EmbeddedStream(new EmbeddedChannel(handler), PATH);
        streams.add(stream);
        return loop.newSucceededFuture(stream);
    }

    /** Closes every stream and releases what is left in them. */
    public void close() {
        for (EmbeddedStream stream : streams) {
            stream.channel().finishAndReleaseAll();
        }
    }

    private static final NodeEndpoint ECHO_ENDPOINT = new NodeEndpoint() {
        @Override
        public String service() {
            return "go.micro.network";
        }

        @Override
        public Reply handle(String method, String path) {
            return Reply.json("{\"method\":\"" + method + "\",\"path\":\"" + path + "\"}");
        }
    };

    /** A stream played by the test on an embedded channel. */
    public static final class EmbeddedStream implements RelayStream {

        private final EmbeddedChannel channel;
        private final List<String> path;
        private boolean outputShut;

        EmbeddedStream(EmbeddedChannel channel, List<String> path) {
            this.channel = channel;
            this.path = path;
        }

        @Override
        public EmbeddedChannel channel() {
            return channel;
        }

        @Override
        public List<String> path() {
            return path;
        }

        @Override
        public Future<Void> shutdownOutput() {
            outputShut = true;
            return channel.eventLoop().newSucceededFuture(null);
        }

        public boolean outputShut() {
            return outputShut;
        }
    }
}
