package network.micro.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import network.micro.api.NodeEndpoint;
import network.micro.api.NodeEndpoint.Reply;
import network.micro.proxy.codec.Backpressure;
import network.micro.proxy.codec.IngressContext;
import network.micro.proxy.codec.RelayFailure;
import network.micro.relay.RelayRequest;
import network.micro.relay.RelayStream;

/**
 * One HTTP/1.1 client connection. Each request names its service once; it is answered by the node's own endpoint,
 * refused with a status that says why, or relayed over a stream, body and answer streaming both ways. One request is
 * served at a time: requests pipelined behind it wait, unread, until its answer is written.
 *
 * <p>A stream whose exchange ended cleanly (the whole request sent, a framed answer read to its end, and the service
 * willing to keep its connection) is kept, and the next request on this connection that names the same service and
 * node is sent on it, as a proxy keeps its upstream connections alive: no new connection to the service, no new
 * stream and answer round trip on a link. A kept stream that the service closes or writes to while idle is dropped.
 * A request sent on a kept stream has been sent: if the stream breaks before the answer, that is an error for the
 * client, never a silent retry elsewhere. Every hop chose its route when the stream opened, so a stream is kept for
 * new requests only for {@link #MAX_KEEP_NANOS}; then the next request opens a new one and every hop chooses again.
 *
 * <p>All state lives on the client's event loop; events of the relay stream, which may run on another loop, are
 * carried over to it. Each exchange has a number, so late events of an earlier exchange are dropped.
 */
final class Http1Ingress extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(Http1Ingress.class.getName());

    /** How long after it opened a stream may carry new requests: the age of the route choices they follow. */
    static final long MAX_KEEP_NANOS = TimeUnit.SECONDS.toNanos(5);

    private enum Mode {
        LOCAL,
        RELAY,
        REFUSED
    }

    private final IngressContext context;
    private final LongSupplier clock;
    private final Queue<HttpObject> queued = new ArrayDeque<>();
    private final Queue<HttpContent> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private int exchange;
    private HttpRequest request;
    private ServiceTarget target;
    private Mode mode;
    private NodeEndpoint endpoint;
    private boolean keepAlive;
    private boolean requestEnded;
    private boolean responseStarted;
    private boolean responseEnded;
    private boolean interim;
    private boolean closeAfter;
    private boolean closing;
    private Channel stream;
    private StreamSide side;
    private String path;
    private long openedAt;
    private String node;
    private boolean reusable;
    private boolean switched;
    private Kept kept;

    Http1Ingress(IngressContext context) {
        this(context, System::nanoTime);
    }

    /** @param clock nanoseconds, for the age of kept streams */
    Http1Ingress(IngressContext context, LongSupplier clock) {
        this.context = context;
        this.clock = clock;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject object) || closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!queued.isEmpty() || (request != null && requestEnded)) {
            queued.add(object);
            updateRead();
            return;
        }
        dispatch(object);
    }

    private void dispatch(HttpObject object) {
        if (request == null) {
            if (object instanceof HttpRequest head) {
                begin(head);
            } else {
                ReferenceCountUtil.release(object);
            }
            return;
        }
        requestContent((HttpContent) object);
    }

    private void begin(HttpRequest head) {
        exchange++;
        request = head;
        target = null;
        endpoint = null;
        stream = null;
        side = null;
        reusable = false;
        switched = false;
        requestEnded = false;
        responseStarted = false;
        responseEnded = false;
        interim = false;
        closeAfter = false;
        keepAlive = HttpUtil.isKeepAlive(head);
        if (head.decoderResult().isFailure()) {
            refuse(400, "malformed request: " + head.decoderResult().cause().getMessage(), true);
            return;
        }
        if (HttpMethod.CONNECT.equals(head.method())) {
            refuse(400, "malformed request: CONNECT must be the first request on its connection", true);
            return;
        }
        Optional<ServiceTarget> named = ServiceTarget.of(head);
        if (named.isEmpty()) {
            refuse(
                    400,
                    "no service named: send a proxy request (http://SERVICE/path) or a " + IngressContext.SERVICE_HEADER
                            + " header",
                    mayHaveBody(head));
            return;
        }
        target = named.get();
        String nodeHeader = head.headers().get(IngressContext.NODE_HEADER, "").trim();
        boolean here = nodeHeader.isEmpty() || context.isThisNode(nodeHeader);
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(
                    Level.DEBUG,
                    "node {0}: {1} {2}{3} from {4}",
                    context.nodeId(),
                    head.method(),
                    target.service(),
                    target.path(),
                    ctx.channel().remoteAddress());
        }
        Optional<NodeEndpoint> local = here ? context.endpoint(target.service()) : Optional.empty();
        if (local.isPresent()) {
            mode = Mode.LOCAL;
            endpoint = local.get();
        } else {
            mode = Mode.RELAY;
            node = here ? "" : nodeHeader;
            if (!reuseKept()) {
                relay();
            }
        }
        updateRead();
    }

    private void requestContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (content.decoderResult().isFailure()) {
            String cause = content.decoderResult().cause().getMessage();
            content.release();
            if (responseStarted) {
                ctx.close();
            } else {
                refuse(400, "malformed request body: " + cause, true);
            }
            return;
        }
        requestEnded = last;
        if (mode == Mode.RELAY && !responseEnded) {
            if (stream == null) {
                pending.add(content);
            } else {
                stream.writeAndFlush(content, stream.voidPromise());
            }
        } else {
            content.release();
        }
        if (last && mode == Mode.LOCAL) {
            answerLocally();
        }
        updateRead();
        if (last) {
            finishIfDone();
        }
    }

    /** Sends the request on the kept stream when it leads to the same service and node; drops it otherwise. */
    private boolean reuseKept() {
        Kept reuse = kept;
        kept = null;
        if (reuse == null) {
            return false;
        }
        if (!reuse.service().equals(target.service())
                || !reuse.node().equals(node)
                || clock.getAsLong() - reuse.opened() > MAX_KEEP_NANOS
                || !reuse.stream().isActive()) {
            reuse.stream().close();
            return false;
        }
        stream = reuse.stream();
        side = reuse.side();
        path = reuse.path();
        openedAt = reuse.opened();
        // Before the request is written: whatever the stream reads from now on belongs to this exchange.
        side.exchange = exchange;
        send();
        return true;
    }

    /** Keeps the stream of an exchange that ended cleanly, for the next request to the same service and node. */
    private void keepOrClose() {
        if (reusable
                && requestEnded
                && pending.isEmpty()
                && clock.getAsLong() - openedAt <= MAX_KEEP_NANOS
                && stream.isActive()) {
            kept = new Kept(stream, side, target.service(), node, path, openedAt);
            // Read while idle, so that a service closing its side is seen before the stream is used again.
            stream.config().setAutoRead(true);
        } else {
            stream.close();
        }
    }

    private void dropKept() {
        if (kept != null) {
            kept.stream().close();
            kept = null;
        }
    }

    private void relay() {
        int current = exchange;
        Future<RelayStream> connecting = context.connect(
                new RelayRequest(target.service(), List.of(), context.newRequestId(), node),
                ctx.channel().eventLoop(),
                new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.config().setAutoRead(false);
                        // One per channel: a failed route's channel got one of its own.
                        channel.pipeline().addLast(new HttpClientCodec()).addLast(new StreamSide(current));
                    }
                });
        connecting.addListener(done -> onLoop(() -> connected(current, connecting)));
    }

    private void connected(int current, Future<RelayStream> connecting) {
        if (current != exchange || closing || !ctx.channel().isActive()) {
            if (connecting.isSuccess()) {
                connecting.getNow().channel().close();
            }
            return;
        }
        if (!connecting.isSuccess() || !connecting.getNow().channel().isActive()) {
            RelayFailure failure = connecting.isSuccess()
                    ? RelayFailure.closedEarly(target.service())
                    : RelayFailure.of(connecting.cause(), target.service());
            LOG.log(
                    Level.DEBUG,
                    "node {0}: {1} {2} failed: {3}",
                    context.nodeId(),
                    request.method(),
                    target.service(),
                    failure.message());
            releasePending();
            refuse(failure.status(), failure.message(), !requestEnded && mayHaveBody(request));
            return;
        }
        RelayStream opened = connecting.getNow();
        stream = opened.channel();
        side = stream.pipeline().get(StreamSide.class);
        openedAt = clock.getAsLong();
        // A client that goes quiet does not hold a connection to the service beyond the stream's time to be kept.
        StreamSide opening = side;
        ctx.executor()
                .schedule(
                        () -> {
                            if (kept != null && kept.side() == opening) {
                                dropKept();
                            }
                        },
                        MAX_KEEP_NANOS,
                        TimeUnit.NANOSECONDS);
        path = String.join(",", opened.path());
        send();
    }

    private void send() {
        stream.write(forwarded(request, target), stream.voidPromise());
        for (HttpContent content = pending.poll(); content != null; content = pending.poll()) {
            stream.write(content, stream.voidPromise());
        }
        stream.flush();
        stream.config().setAutoRead(true);
        updateRead();
    }

    /** The request as the service sees it: origin form, without the headers meant for this hop only. */
    private static HttpRequest forwarded(HttpRequest request, ServiceTarget target) {
        HttpHeaders headers = request.headers().copy();
        headers.remove(HttpHeaderNames.CONNECTION)
                .remove(HttpHeaderNames.KEEP_ALIVE)
                .remove(HttpHeaderNames.PROXY_AUTHORIZATION)
                .remove("Proxy-Connection");
        if (!headers.contains(HttpHeaderNames.HOST)) {
            headers.set(HttpHeaderNames.HOST, target.service());
        }
        // The service was named once, here; say which, so that a node serving itself (go.micro.network) knows too.
        headers.set(IngressContext.SERVICE_HEADER, target.service());
        return new DefaultHttpRequest(request.protocolVersion(), request.method(), target.path(), headers);
    }

    /** An object the service sent, on the client's loop. */
    private void streamRead(StreamSide from, int current, HttpObject object) {
        if (kept != null && kept.side() == from) {
            // Nothing was asked: the stream is out of step with its service.
            ReferenceCountUtil.release(object);
            dropKept();
            return;
        }
        if (from != side || mode != Mode.RELAY || responseEnded || closing) {
            ReferenceCountUtil.release(object);
            return;
        }
        if (current != exchange) {
            // Read before this exchange was handed the kept stream, so not an answer to it.
            ReferenceCountUtil.release(object);
            streamGone(from);
            return;
        }
        if (object.decoderResult().isFailure()) {
            ReferenceCountUtil.release(object);
            streamGone(from);
            return;
        }
        if (object instanceof HttpResponse response) {
            interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                // After an upgrade the stream no longer speaks HTTP/1.1 to this codec.
                switched = true;
            }
            if (!interim) {
                prepare(response);
                responseStarted = true;
            }
            ctx.write(response);
        }
        if (object instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            ctx.writeAndFlush(content, ctx.voidPromise());
            if (interim) {
                interim = !last;
                return;
            }
            Backpressure.afterWrite(stream, ctx.channel());
            if (last) {
                responseEnded = true;
                keepOrClose();
                updateRead();
                finishIfDone();
            }
        }
    }

    /** Makes the service's answer fit this connection: its framing, persistence and the path it came. */
    private void prepare(HttpResponse response) {
        HttpHeaders headers = response.headers();
        // Asked before the headers are made to fit the client: the service's own word on its connection.
        boolean serviceKeepsAlive = HttpUtil.isKeepAlive(response);
        headers.remove(HttpHeaderNames.KEEP_ALIVE).remove("Proxy-Connection");
        headers.set(IngressContext.PATH_HEADER, path);
        boolean framed = HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response);
        reusable = serviceKeepsAlive
                && !switched
                && request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && (framed || !mayHaveBody(request.method(), response.status()));
        if (!framed && mayHaveBody(request.method(), response.status())) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                HttpUtil.setTransferEncodingChunked(response, true);
            } else {
                closeAfter = true;
            }
        }
        if (!requestEnded && HttpUtil.isContentLengthSet(request) && HttpUtil.getContentLength(request) > 0) {
            // The service answered before the body ended; what is left of it is read and dropped.
            LOG.log(Level.DEBUG, "node {0}: {1} answered early", context.nodeId(), target.service());
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        HttpUtil.setKeepAlive(response, keepAlive && !closeAfter);
    }

    /** The stream ended or broke before the whole answer arrived. */
    private void streamGone(StreamSide from) {
        if (kept != null && kept.side() == from) {
            dropKept();
            return;
        }
        if (from != side || mode != Mode.RELAY || responseEnded || closing) {
            return;
        }
        if (stream != null) {
            stream.close();
        }
        if (responseStarted || interim) {
            LOG.log(Level.DEBUG, "node {0}: {1} ended its answer early", context.nodeId(), target.service());
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            closing = true;
            return;
        }
        RelayFailure failure = RelayFailure.closedEarly(target.service());
        refuse(failure.status(), failure.message(), !requestEnded && mayHaveBody(request));
    }

    private void answerLocally() {
        Reply reply = endpoint.handle(request.method().name(), target.path());
        respond(reply.status(), reply.contentType(), reply.body(), false);
    }

    /** Answers the current request with an error; the rest of its body, if any, is dropped. */
    private void refuse(int status, String message, boolean close) {
        mode = Mode.REFUSED;
        respond(status, "text/plain; charset=utf-8", message + "\n", close);
    }

    private void respond(int status, String contentType, String text, boolean close) {
        closing = close || !keepAlive;
        ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, RelayFailure.httpStatus(status), body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(IngressContext.PATH_HEADER, context.nodeId());
        HttpUtil.setKeepAlive(response, !closing);
        responseStarted = true;
        responseEnded = true;
        if (closing) {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            releaseQueued();
        } else {
            ctx.writeAndFlush(response, ctx.voidPromise());
        }
        updateRead();
    }

    /** Ends the exchange once both its request and its answer are complete, and starts the next one. */
    private void finishIfDone() {
        if (request == null || !requestEnded || !responseEnded || closing) {
            return;
        }
        if (!keepAlive || closeAfter) {
            closing = true;
            releaseQueued();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        request = null;
        mode = null;
        stream = null;
        side = null;
        while (!queued.isEmpty() && !closing && (request == null || !requestEnded)) {
            dispatch(queued.poll());
        }
        updateRead();
    }

    /**
     * Reads only while it can go somewhere: between requests, and during a body while the stream can take it. A
     * request whose stream is being opened, or whose answer is being written, waits.
     */
    private void updateRead() {
        boolean read = !closing
                && (request == null
                        || (!requestEnded && (mode != Mode.RELAY || (stream != null && stream.isWritable()))));
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (stream != null && !responseEnded) {
            Backpressure.writabilityChanged(stream, ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        exchange++;
        closing = true;
        if (stream != null) {
            stream.close();
        }
        dropKept();
        releasePending();
        releaseQueued();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(
                Level.DEBUG,
                "node " + context.nodeId() + ": closing " + ctx.channel().remoteAddress(),
                cause);
        ctx.close();
    }

    private void releasePending() {
        for (HttpContent content = pending.poll(); content != null; content = pending.poll()) {
            content.release();
        }
    }

    private void releaseQueued() {
        for (HttpObject object = queued.poll(); object != null; object = queued.poll()) {
            ReferenceCountUtil.release(object);
        }
    }

    private void onLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    private static boolean mayHaveBody(HttpRequest request) {
        return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    }

    private static boolean mayHaveBody(HttpMethod method, HttpResponseStatus status) {
        int code = status.code();
        return !HttpMethod.HEAD.equals(method) && code != 204 && code != 304 && code >= 200;
    }

    /** A stream kept open after a clean exchange, and where it leads. */
    private record Kept(Channel stream, StreamSide side, String service, String node, String path, long opened) {}

    /**
     * The relay stream's end: carries what the service sends over to the client's loop, each event marked with the
     * exchange the stream served when it arrived. A kept stream is handed to the next exchange before its request is
     * written, so what answers that request carries its number.
     */
    private final class StreamSide extends ChannelInboundHandlerAdapter {

        private volatile int exchange;

        StreamSide(int exchange) {
            this.exchange = exchange;
        }

        @Override
        public void channelRead(ChannelHandlerContext streamCtx, Object msg) {
            if (msg instanceof HttpObject object) {
                int current = exchange;
                onLoop(() -> streamRead(this, current, object));
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext streamCtx) {
            int current = exchange;
            onLoop(() -> {
                if (current == Http1Ingress.this.exchange) {
                    updateRead();
                }
            });
            streamCtx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext streamCtx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                onLoop(() -> streamGone(this));
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext streamCtx) {
            onLoop(() -> streamGone(this));
            streamCtx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext streamCtx, Throwable cause) {
            LOG.log(Level.DEBUG, "node " + context.nodeId() + ": stream failed", cause);
            streamCtx.close();
        }
    }
}
