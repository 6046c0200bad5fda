package network.micro.proxy.connect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import network.micro.api.HostPort;
import network.micro.proxy.codec.IngressContext;
import network.micro.proxy.codec.RelayFailure;
import network.micro.relay.RelayRequest;
import network.micro.relay.RelayStream;

/**
 * Reads one {@code CONNECT service:port} request, opens a stream to the service, answers {@code 200} and from then
 * on splices bytes between the client and the stream. Bytes the client sent early, behind the request, are kept and
 * sent first.
 */
final class ConnectIngress extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(ConnectIngress.class.getName());

    private final IngressContext context;
    private final Queue<ByteBuf> early = new ArrayDeque<>();
    private boolean requested;
    private Splice splice;

    ConnectIngress(IngressContext context) {
        this.context = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (splice != null && msg instanceof ByteBuf bytes) {
            splice.fromClient(bytes);
        } else if (msg instanceof HttpRequest request && !requested) {
            requested = true;
            ReferenceCountUtil.release(msg);
            request(ctx, request);
        } else if (msg instanceof ByteBuf bytes && requested) {
            early.add(bytes);
        } else {
            // The decoder's end of an empty request body, or anything after a refused request.
            ReferenceCountUtil.release(msg);
        }
    }

    private void request(ChannelHandlerContext ctx, HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            refuse(
                    ctx,
                    400,
                    "malformed request: " + request.decoderResult().cause().getMessage());
            return;
        }
        if (!HttpMethod.CONNECT.equals(request.method())) {
            refuse(ctx, 400, "malformed request: expected CONNECT service:port");
            return;
        }
        HostPort target;
        try {
            target = HostPort.parse(request.uri());
        } catch (IllegalArgumentException e) {
            refuse(ctx, 400, "malformed CONNECT target: " + e.getMessage());
            return;
        }
        if (target.host().isEmpty()) {
            refuse(ctx, 400, "malformed CONNECT target \"" + request.uri() + "\": no service named");
            return;
        }
        String service = target.host();
        String node = request.headers().get(IngressContext.NODE_HEADER, "").trim();
        String requestId = context.newRequestId();
        LOG.log(
                Level.DEBUG,
                "node {0}: CONNECT {1} ({2}) from {3}",
                context.nodeId(),
                service,
                requestId,
                ctx.channel().remoteAddress());

        // Bytes behind the request are raw from here on: stop parsing them, and read no more until connected.
        ctx.channel().config().setAutoRead(false);
        ctx.pipeline().remove(HttpRequestDecoder.class);
        Future<RelayStream> connecting = context.connect(
                new RelayRequest(service, List.of(), requestId, context.isThisNode(node) ? "" : node),
                ctx.channel().eventLoop(),
                new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel stream) {
                        stream.config().setAutoRead(false);
                        stream.pipeline().addLast(new Splice.StreamSide(ctx.channel()));
                    }
                });
        connecting.addListener(done -> ctx.executor().execute(() -> connected(ctx, service, connecting)));
    }

    private void connected(ChannelHandlerContext ctx, String service, Future<RelayStream> connecting) {
        if (!connecting.isSuccess()) {
            RelayFailure failure = RelayFailure.of(connecting.cause(), service);
            LOG.log(Level.DEBUG, "node {0}: CONNECT {1} refused: {2}", context.nodeId(), service, failure.message());
            refuse(ctx, failure.status(), failure.message());
            return;
        }
        RelayStream stream = connecting.getNow();
        if (!ctx.channel().isActive()) {
            stream.channel().close();
            releaseEarly();
            return;
        }
        FullHttpResponse established = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Connection Established"), Unpooled.EMPTY_BUFFER);
        established.headers().set(IngressContext.PATH_HEADER, String.join(",", stream.path()));
        ctx.writeAndFlush(established);
        ctx.pipeline().remove(HttpResponseEncoder.class);

        ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        splice = new Splice(ctx.channel(), stream);
        for (ByteBuf bytes = early.poll(); bytes != null; bytes = early.poll()) {
            splice.fromClient(bytes);
        }
        stream.channel().config().setAutoRead(true);
        ctx.channel().config().setAutoRead(true);
    }

    private void refuse(ChannelHandlerContext ctx, int status, String message) {
        releaseEarly();
        ByteBuf body = Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8);
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, RelayFailure.httpStatus(status), body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(IngressContext.PATH_HEADER, context.nodeId());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private void releaseEarly() {
        for (ByteBuf bytes = early.poll(); bytes != null; bytes = early.poll()) {
            bytes.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && splice != null) {
            splice.clientInputEnded();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (splice != null) {
            splice.clientWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        if (splice != null) {
            splice.clientClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(
                Level.DEBUG,
                "node " + context.nodeId() + ": closing CONNECT from "
                        + ctx.channel().remoteAddress(),
                cause);
        ctx.close();
    }
}
