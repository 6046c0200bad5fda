package network.micro.proxy.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import network.micro.api.NodeEndpoint;
import network.micro.api.NodeEndpoint.Reply;
import network.micro.proxy.codec.Backpressure;
import network.micro.proxy.codec.IngressContext;
import network.micro.proxy.codec.RelayFailure;
import network.micro.relay.RelayRequest;
import network.micro.relay.RelayStream;

/**
 * One HTTP/2 stream of a client. Its first HEADERS frame names the service in {@code :authority}; the stream is
 * then answered by the node's own endpoint, refused, or relayed: a relay stream to the service carries an HTTP/2
 * connection of its own with one stream, and frames are copied between the two streams, each side read only while
 * the other can take more. Errors to gRPC clients are gRPC statuses (UNAVAILABLE) with the message.
 *
 * <p>State lives on the client stream's event loop; the service side's events are carried over to it.
 */
final class H2StreamIngress extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(H2StreamIngress.class.getName());
    private static final String PATH_HEADER = IngressContext.PATH_HEADER.toLowerCase(Locale.ROOT);
    private static final String NODE_HEADER = IngressContext.NODE_HEADER.toLowerCase(Locale.ROOT);
    private static final int GRPC_UNAVAILABLE = 14;

    private final IngressContext context;
    private final Queue<Http2StreamFrame> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean started;
    private boolean grpc;
    private String service;
    private NodeEndpoint endpoint;
    private Http2Headers requestHeaders;
    private boolean answered;
    private boolean responseStarted;
    private boolean responseEnded;
    private boolean relaying;
    private Channel relay;
    private Http2StreamChannel backend;
    private String path;

    H2StreamIngress(IngressContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!started && msg instanceof Http2HeadersFrame headers) {
            started = true;
            begin(headers);
        } else if (backend != null && msg instanceof Http2StreamFrame frame) {
            toService(frame);
        } else if (!relaying || answered || !(msg instanceof Http2StreamFrame)) {
            // Answered here, refused, or not a stream frame: the rest of the request is not needed.
            boolean end = msg instanceof Http2DataFrame data && data.isEndStream()
                    || msg instanceof Http2HeadersFrame trailers && trailers.isEndStream();
            ReferenceCountUtil.release(msg);
            if (end && endpoint != null && !answered) {
                answerLocally();
            }
        } else {
            pending.add((Http2StreamFrame) msg);
        }
    }

    private void begin(Http2HeadersFrame frame) {
        Http2Headers headers = frame.headers();
        requestHeaders = headers;
        CharSequence contentType = headers.get("content-type");
        grpc = contentType != null && contentType.toString().startsWith("application/grpc");
        CharSequence authority = headers.authority() != null ? headers.authority() : headers.get("host");
        service = authority == null ? null : hostOf(authority.toString());
        if (service == null || service.isEmpty()) {
            refuse(400, "malformed request: no service named in :authority");
            return;
        }
        CharSequence nodeHeader = headers.get(NODE_HEADER);
        String node = nodeHeader == null ? "" : nodeHeader.toString().trim();
        boolean here = node.isEmpty() || context.isThisNode(node);
        LOG.log(
                Level.DEBUG,
                "node {0}: h2 {1} {2}{3} from {4}",
                context.nodeId(),
                headers.method(),
                service,
                headers.path(),
                ctx.channel().parent().remoteAddress());
        Optional<NodeEndpoint> local = here ? context.endpoint(service) : Optional.empty();
        if (local.isPresent()) {
            endpoint = local.get();
            if (frame.isEndStream()) {
                answerLocally();
            }
            return;
        }
        ctx.channel().config().setAutoRead(false);
        pending.add(frame);
        relaying = true;
        Future<RelayStream> connecting = context.connect(
                new RelayRequest(service, List.of(), context.newRequestId(), here ? "" : node),
                ctx.channel().eventLoop(),
                new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.config().setAutoRead(false);
                        channel.pipeline()
                                .addLast(Http2FrameCodecBuilder.forClient()
                                        .initialSettings(
                                                Http2Settings.defaultSettings().pushEnabled(false))
                                        .build())
                                .addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                });
        connecting.addListener(done -> onLoop(() -> connected(connecting)));
    }

    /** The host of {@code authority}, without port or IPv6 brackets. */
    static String hostOf(String authority) {
        String host = authority.trim();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? null : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private void connected(Future<RelayStream> connecting) {
        if (!connecting.isSuccess()) {
            fail(RelayFailure.of(connecting.cause(), service));
            return;
        }
        RelayStream stream = connecting.getNow();
        relay = stream.channel();
        path = String.join(",", stream.path());
        if (!ctx.channel().isActive()) {
            relay.close();
            releasePending();
            return;
        }
        relay.config().setAutoRead(true);
        Future<Http2StreamChannel> opening = new Http2StreamChannelBootstrap(relay)
                .handler(new ServiceSide())
                .open();
        opening.addListener(done -> onLoop(() -> backendOpened(opening)));
    }

    private void backendOpened(Future<Http2StreamChannel> opened) {
        if (!opened.isSuccess()) {
            relay.close();
            fail(RelayFailure.of(opened.cause(), service));
            return;
        }
        if (!ctx.channel().isActive()) {
            relay.close();
            releasePending();
            return;
        }
        backend = opened.getNow();
        for (Http2StreamFrame frame = pending.poll(); frame != null; frame = pending.poll()) {
            toService(frame);
        }
        ctx.channel().config().setAutoRead(true);
        Backpressure.afterWrite(ctx.channel(), backend);
    }

    private void fail(RelayFailure failure) {
        LOG.log(Level.DEBUG, "node {0}: h2 {1} failed: {2}", context.nodeId(), service, failure.message());
        releasePending();
        relay = null;
        refuse(failure.status(), failure.message());
        ctx.channel().config().setAutoRead(true);
    }

    /** A frame of the client's request, copied onto the service's stream. */
    private void toService(Http2StreamFrame frame) {
        if (frame instanceof Http2HeadersFrame headers) {
            backend.writeAndFlush(new DefaultHttp2HeadersFrame(headers.headers(), headers.isEndStream()));
        } else if (frame instanceof Http2DataFrame data) {
            backend.writeAndFlush(new DefaultHttp2DataFrame(data.content(), data.isEndStream()));
            Backpressure.afterWrite(ctx.channel(), backend);
        } else if (frame instanceof Http2ResetFrame reset) {
            backend.writeAndFlush(new DefaultHttp2ResetFrame(reset.errorCode()));
        } else {
            ReferenceCountUtil.release(frame);
        }
    }

    /** A frame of the service's answer, copied onto the client's stream; on the client's loop. */
    private void fromService(Http2StreamFrame frame) {
        if (responseEnded || !ctx.channel().isActive()) {
            ReferenceCountUtil.release(frame);
            return;
        }
        if (frame instanceof Http2HeadersFrame headers) {
            Http2Headers copy = headers.headers();
            if (!responseStarted && !isInformational(copy)) {
                responseStarted = true;
                copy.set(PATH_HEADER, path);
            }
            responseEnded = headers.isEndStream();
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(copy, headers.isEndStream()));
        } else if (frame instanceof Http2DataFrame data) {
            responseEnded = data.isEndStream();
            ctx.writeAndFlush(new DefaultHttp2DataFrame(data.content(), data.isEndStream()));
            Backpressure.afterWrite(backend, ctx.channel());
        } else if (frame instanceof Http2ResetFrame reset) {
            responseEnded = true;
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(reset.errorCode()));
        } else {
            ReferenceCountUtil.release(frame);
        }
    }

    private static boolean isInformational(Http2Headers headers) {
        CharSequence status = headers.status();
        return status != null && status.length() == 3 && status.charAt(0) == '1';
    }

    /** The service's stream ended; if its answer did not, the client's stream is ended too. */
    private void serviceGone() {
        if (relay != null) {
            relay.close();
        }
        if (responseEnded || !ctx.channel().isActive()) {
            return;
        }
        if (!responseStarted) {
            refuse(
                    RelayFailure.closedEarly(service).status(),
                    RelayFailure.closedEarly(service).message());
        } else {
            responseEnded = true;
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
        }
    }

    private void answerLocally() {
        Reply reply = endpoint.handle(String.valueOf(requestHeaders.method()), String.valueOf(requestHeaders.path()));
        respond(reply.status(), reply.contentType(), reply.body(), context.nodeId());
    }

    private void refuse(int status, String message) {
        if (grpc) {
            Http2Headers headers = new DefaultHttp2Headers()
                    .status("200")
                    .set("content-type", "application/grpc")
                    .setInt("grpc-status", GRPC_UNAVAILABLE)
                    .set("grpc-message", message)
                    .set("micro-status", String.valueOf(status))
                    .set(PATH_HEADER, context.nodeId());
            finishAnswer();
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true));
            return;
        }
        respond(status, "text/plain; charset=utf-8", message + "\n", context.nodeId());
    }

    private void respond(int status, String contentType, String text, String via) {
        ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        Http2Headers headers = new DefaultHttp2Headers()
                .status(String.valueOf(status))
                .set("content-type", contentType)
                .setInt("content-length", body.readableBytes())
                .set(PATH_HEADER, via);
        finishAnswer();
        ctx.write(new DefaultHttp2HeadersFrame(headers, false));
        ctx.writeAndFlush(new DefaultHttp2DataFrame(body, true));
    }

    private void finishAnswer() {
        answered = true;
        responseStarted = true;
        responseEnded = true;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (backend != null) {
            Backpressure.writabilityChanged(backend, ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePending();
        if (relay != null) {
            relay.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "node " + context.nodeId() + ": h2 stream for " + service + " failed", cause);
        ctx.close();
    }

    private void releasePending() {
        for (Http2StreamFrame frame = pending.poll(); frame != null; frame = pending.poll()) {
            ReferenceCountUtil.release(frame);
        }
    }

    private void onLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    /** The service's end of the relayed stream: carries its frames and events over to the client's loop. */
    private final class ServiceSide extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext serviceCtx, Object msg) {
            if (msg instanceof Http2StreamFrame frame) {
                onLoop(() -> fromService(frame));
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext serviceCtx) {
            Backpressure.writabilityChanged(ctx.channel(), serviceCtx.channel());
            serviceCtx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext serviceCtx) {
            onLoop(H2StreamIngress.this::serviceGone);
            serviceCtx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext serviceCtx, Throwable cause) {
            LOG.log(Level.DEBUG, "node " + context.nodeId() + ": h2 service stream of " + service + " failed", cause);
            serviceCtx.close();
        }
    }
}
