package network.micro.network.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import network.micro.api.HostPort;
import network.micro.api.Network;
import network.micro.api.Route;
import network.micro.api.Router;
import network.micro.network.internal.Splice.RelayEnd;
import network.micro.relay.RelayException;
import network.micro.relay.RelayRequest;
import network.micro.relay.RelayStream;
import network.micro.relay.ServiceConnector;
import network.micro.tunnel.Link;

/**
 * Carries streams to services: at the ingress for the proxy, and at every hop for streams peers open. Each node
 * chooses its own best route again; routes are tried best first, local ones before remote ones, equal ones in a
 * random order to share the load, and a route that fails before the stream is open gives way to the next.
 */
final class Relay implements ServiceConnector {

    private static final Logger LOG = System.getLogger(Relay.class.getName());
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final long ANSWER_TIMEOUT_MILLIS = 10_000;

    private final String nodeId;
    private final Router router;
    private final Function<String, Link> links;
    private final UnaryOperator<String> nodeIds;

    /**
     * @param links the link to a peer, by peer id, or null
     * @param nodeIds the id of a node named by id or address, or the argument itself when unknown
     */
    Relay(String nodeId, Router router, Function<String, Link> links, UnaryOperator<String> nodeIds) {
        this.nodeId = nodeId;
        this.router = router;
        this.links = links;
        this.nodeIds = nodeIds;
    }

    @Override
    public Future<RelayStream> connect(RelayRequest request, EventLoop loop, ChannelHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return open(request, loop, handler);
    }

    /** Opens a stream; with a null handler the stream is left unread, for a hop to splice. */
    private Future<RelayStream> open(RelayRequest request, EventLoop loop, ChannelHandler handler) {
        Promise<RelayStream> promise = loop.newPromise();
        List<String> path = new ArrayList<>(request.path());
        path.add(nodeId);
        if (request.path().contains(nodeId)) {
            return promise.setFailure(new RelayException(
                    RelayException.LOOP_DETECTED, "request for " + request.service() + " would loop: path " + path));
        }
        if (path.size() - 1 > Network.MAX_HOPS) {
            return promise.setFailure(new RelayException(
                    RelayException.LOOP_DETECTED,
                    "request for " + request.service() + " would cross more than " + Network.MAX_HOPS + " links: path "
                            + path));
        }
        List<Route> routes = candidates(request, path);
        if (routes.isEmpty()) {
            String where = request.node().isEmpty() ? "" : " on node " + request.node();
            return promise.setFailure(
                    new RelayException(RelayException.BAD_GATEWAY, "no route to service " + request.service() + where));
        }
        RelayRequest onward = new RelayRequest(request.service(), path, request.requestId(), request.node());
        tryNext(onward, routes.iterator(), new ArrayList<>(), loop, handler, promise);
        return promise;
    }

    /** The usable routes, best first, equal ones shuffled; none that would lead back into the path. */
    private List<Route> candidates(RelayRequest request, List<String> path) {
        String target = request.node().isEmpty() ? "" : nodeIds.apply(request.node());
        List<Route> routes = new ArrayList<>();
        for (Route route : router.lookup(request.service())) {
            boolean onTarget = target.isEmpty() || route.router().equals(target);
            if (onTarget && !path.contains(route.gateway())) {
                routes.add(route);
            }
        }
        int start = 0;
        for (int i = 1; i <= routes.size(); i++) {
            if (i == routes.size() || !sameRank(routes.get(start), routes.get(i))) {
                Collections.shuffle(routes.subList(start, i), ThreadLocalRandom.current());
                start = i;
            }
        }
        return routes;
    }

    private static boolean sameRank(Route a, Route b) {
        return a.isLocal() == b.isLocal() && a.metric() == b.metric();
    }

    private void tryNext(
            RelayRequest request,
            Iterator<Route> routes,
            List<String> failures,
            EventLoop loop,
            ChannelHandler handler,
            Promise<RelayStream> promise) {
        if (!routes.hasNext()) {
            promise.tryFailure(new RelayException(
                    RelayException.BAD_GATEWAY,
                    "every route to service " + request.service() + " failed: " + String.join("; ", failures)));
            return;
        }
        Route route = routes.next();
        Future<RelayStream> attempt =
                route.isLocal() ? dial(route, request, loop, handler) : forward(route, request, handler);
        attempt.addListener(done -> {
            if (done.isSuccess()) {
                LOG.log(
                        Level.DEBUG,
                        "node {0}: request {1} for {2} goes to {3}",
                        nodeId,
                        request.requestId(),
                        request.service(),
                        route.isLocal() ? route.address() : "peer " + route.gateway());
                if (!promise.trySuccess(attempt.getNow())) {
                    attempt.getNow().channel().close();
                }
            } else if (done.cause() instanceof RelayException refused
                    && refused.status() == RelayException.LOOP_DETECTED) {
                promise.tryFailure(refused);
            } else {
                String where = route.isLocal() ? route.address() : "via " + route.gateway();
                failures.add(where + ": " + reason(done.cause()));
                tryNext(request, routes, failures, loop, handler, promise);
            }
        });
    }

    /** Connects to a local instance. */
    private Future<RelayStream> dial(Route route, RelayRequest request, EventLoop loop, ChannelHandler handler) {
        Promise<RelayStream> promise = loop.newPromise();
        HostPort address;
        try {
            address = HostPort.parse(route.address());
        } catch (IllegalArgumentException e) {
            return promise.setFailure(e);
        }
        new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, handler != null)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(handler != null ? handler : new ChannelInboundHandlerAdapter())
                .connect(address.host().isEmpty() ? "127.0.0.1" : address.host(), address.port())
                .addListener(connected -> {
                    if (connected.isSuccess()) {
                        promise.setSuccess(new TcpStream(
                                (SocketChannel) ((io.netty.channel.ChannelFuture) connected).channel(),
                                request.path()));
                    } else {
                        promise.setFailure(connected.cause());
                    }
                });
        return promise;
    }

    /** Opens a stream to the route's gateway, which relays it on; succeeds when the far end is connected. */
    private Future<RelayStream> forward(Route route, RelayRequest request, ChannelHandler handler) {
        Link link = links.apply(route.gateway());
        if (link == null) {
            return io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE.newFailedFuture(
                    new IllegalStateException("no link to " + route.gateway()));
        }
        Answer answer = new Answer(handler);
        link.openStream(RelayHeaders.open(request), answer).addListener(opened -> {
            if (!opened.isSuccess()) {
                answer.promise().tryFailure(opened.cause());
            }
        });
        return answer.promise();
    }

    /**
     * A stream a peer opened: relay it on to this node's own best route, then answer the peer. Runs on the stream's
     * event loop, before any frame of the stream is read.
     */
    void accept(Link link, Http2StreamChannel stream, Http2Headers headers) {
        RelayRequest request;
        try {
            request = RelayHeaders.request(headers);
        } catch (IllegalArgumentException e) {
            refuse(stream, 400, e.getMessage());
            return;
        }
        if (!request.path().get(request.path().size() - 1).equals(link.peerId())) {
            refuse(stream, 400, "path " + request.path() + " does not end at the peer " + link.peerId());
            return;
        }
        stream.config().setAutoRead(false);
        stream.pipeline().addLast(new StreamBytes());
        open(request, stream.eventLoop(), null).addListener(done -> {
            if (!done.isSuccess()) {
                Throwable cause = done.cause();
                int status = cause instanceof RelayException refused ? refused.status() : RelayException.BAD_GATEWAY;
                LOG.log(
                        Level.DEBUG,
                        "node {0}: request {1} for {2} from peer {3} refused: {4}",
                        nodeId,
                        request.requestId(),
                        request.service(),
                        link.peerId(),
                        reason(cause));
                refuse(stream, status, reason(cause));
                return;
            }
            RelayStream upstream = (RelayStream) done.getNow();
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(RelayHeaders.connected(upstream.path())));
            Splice.both(
                    new RelayEnd(stream, () -> StreamBytes.shutdownOutput(stream)),
                    new RelayEnd(upstream.channel(), () -> upstream.shutdownOutput()),
                    request.requestId() + " " + request.service());
        });
    }

    private static void refuse(Http2StreamChannel stream, int status, String reason) {
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(RelayHeaders.failed(status, reason), true))
                .addListener(written -> stream.close());
    }

    private static String reason(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /**
     * Waits on a stream this node opened for the next hop's answer: on 200 the stream becomes a byte stream for the
     * caller's handler; on anything else the attempt fails with the hop's reason.
     */
    private static final class Answer extends ChannelInboundHandlerAdapter {

        private final ChannelHandler handler;
        // Made here, not on first use: the caller of forward() asks for it on its own event loop while the stream's
        // handlerAdded may run at the same time on the link's; made lazily, each could get a promise of its own and
        // the caller's would never complete.
        private final Promise<RelayStream> promise =
                io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE.newPromise();

        Answer(ChannelHandler handler) {
            this.handler = handler;
        }

        Promise<RelayStream> promise() {
            return promise;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(true);
            io.netty.util.concurrent.Future<?> timeout = ctx.executor()
                    .schedule(
                            () -> {
                                if (promise.tryFailure(new IllegalStateException(
                                        "no answer within " + ANSWER_TIMEOUT_MILLIS + " ms"))) {
                                    ctx.close();
                                }
                            },
                            ANSWER_TIMEOUT_MILLIS,
                            TimeUnit.MILLISECONDS);
            promise.addListener(answered -> timeout.cancel(false));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof Http2HeadersFrame frame)) {
                ReferenceCountUtil.release(msg);
                promise().tryFailure(new IllegalStateException("the peer sent data before its answer"));
                ctx.close();
                return;
            }
            Http2Headers headers = frame.headers();
            CharSequence status = headers.status();
            if (status == null || !"200".contentEquals(status)) {
                CharSequence error = headers.get(RelayHeaders.ERROR);
                int code = parseStatus(status);
                promise().tryFailure(new RelayException(code, error == null ? "status " + status : error.toString()));
                ctx.close();
                return;
            }
            CharSequence path = headers.get(RelayHeaders.PATH);
            Http2StreamChannel stream = (Http2StreamChannel) ctx.channel();
            ctx.pipeline().addLast(new StreamBytes());
            if (handler != null) {
                ctx.pipeline().addLast(handler);
            } else {
                stream.config().setAutoRead(false);
            }
            ctx.pipeline().remove(this);
            promise().trySuccess(new H2Stream(stream, RelayHeaders.split(path == null ? "" : path.toString())));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            promise().tryFailure(new IllegalStateException("the peer closed the stream"));
            ctx.fireChannelInactive();
        }

        private static int parseStatus(CharSequence status) {
            try {
                return status == null ? RelayException.BAD_GATEWAY : Integer.parseInt(status.toString());
            } catch (NumberFormatException e) {
                return RelayException.BAD_GATEWAY;
            }
        }
    }

    /** A stream to a local instance over TCP. */
    private record TcpStream(SocketChannel channel, List<String> path) implements RelayStream {

        @Override
        public Future<Void> shutdownOutput() {
            Future<Void> done = channel.shutdownOutput();
            done.addListener(f -> {
                if (channel.isInputShutdown()) {
                    channel.close();
                }
            });
            return done;
        }
    }

    /** A stream relayed over a link. */
    private record H2Stream(Http2StreamChannel channel, List<String> path) implements RelayStream {

        @Override
        public Future<Void> shutdownOutput() {
            return StreamBytes.shutdownOutput(channel);
        }
    }
}
