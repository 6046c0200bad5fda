package network.micro.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import network.micro.relay.RelayException;
import network.micro.relay.RelayRequest;
import network.micro.relay.RelayStream;
import network.micro.relay.ServiceConnector;

/**
 * A {@link ServiceConnector} over real sockets on loopback: each service maps to a list of addresses, tried in
 * order as a real connector tries routes, and the first that accepts the connection serves the stream. Services can
 * also be made to fail as the network would: no route, a loop, every route failed.
 */
public final class FakeConnector implements ServiceConnector {

    private final Map<String, List<InetSocketAddress>> routes = new ConcurrentHashMap<>();
    private final Map<String, RelayException> failures = new ConcurrentHashMap<>();
    private final List<RelayRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> path;

    /** A connector whose streams report {@code path} as the node ids they crossed. */
    public FakeConnector(String... path) {
        this.path = List.of(path);
    }

    /** Routes {@code service} to {@code addresses}, tried in order. */
    public FakeConnector route(String service, InetSocketAddress... addresses) {
        routes.put(service, List.of(addresses));
        return this;
    }

    /** Makes every stream to {@code service} fail with {@code status} and {@code message}. */
    public FakeConnector fail(String service, int status, String message) {
        failures.put(service, new RelayException(status, message));
        return this;
    }

    /** Every request seen so far. */
    public List<RelayRequest> requests() {
        return requests;
    }

    @Override
    public Future<RelayStream> connect(RelayRequest request, EventLoop loop, ChannelHandler handler) {
        requests.add(request);
        Promise<RelayStream> promise = loop.newPromise();
        RelayException failure = failures.get(request.service());
        List<InetSocketAddress> addresses = routes.get(request.service());
        if (failure != null) {
            promise.setFailure(failure);
        } else if (addresses == null || addresses.isEmpty()) {
            promise.setFailure(
                    new RelayException(RelayException.BAD_GATEWAY, "no route to service " + request.service()));
        } else {
            tryRoute(request.service(), loop, handler, addresses, 0, new ArrayList<>(), promise);
        }
        return promise;
    }

    private void tryRoute(
            String service,
            EventLoop loop,
            ChannelHandler handler,
            List<InetSocketAddress> addresses,
            int index,
            List<String> failed,
            Promise<RelayStream> promise) {
        if (index == addresses.size()) {
            promise.setFailure(new RelayException(
                    RelayException.BAD_GATEWAY,
                    "every route to service " + service + " failed: " + String.join("; ", failed)));
            return;
        }
        InetSocketAddress address = addresses.get(index);
        new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(handler)
                .connect(address)
                .addListener(connected -> {
                    if (connected.isSuccess()) {
                        Channel channel = ((io.netty.channel.ChannelFuture) connected).channel();
                        promise.setSuccess(new SocketStream((SocketChannel) channel, path));
                    } else {
                        failed.add(address + ": " + connected.cause().getMessage());
                        tryRoute(service, loop, handler, addresses, index + 1, failed, promise);
                    }
                });
    }

    /** A stream over one TCP connection. */
    private record SocketStream(SocketChannel channel, List<String> path) implements RelayStream {

        @Override
        public Future<Void> shutdownOutput() {
            return channel.shutdownOutput();
        }
    }
}
