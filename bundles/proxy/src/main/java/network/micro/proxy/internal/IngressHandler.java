package network.micro.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import network.micro.api.NodeEndpoint;
import network.micro.api.NodeEndpoint.Reply;

/**
 * Answers HTTP/1.1 requests at the ingress: each names its service once, and is served by the node's own endpoint
 * for that service, or refused with a status that says why. One connection may carry requests for different
 * services.
 */
final class IngressHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** Names the node ids a request passed through, for debugging. */
    static final String PATH_HEADER = "Micro-Path";

    /** Asks for the views of another node, by id or address. */
    static final String NODE_HEADER = "Micro-Node";

    private static final Logger LOG = System.getLogger(IngressHandler.class.getName());

    private final Ingress ingress;

    IngressHandler(Ingress ingress) {
        this.ingress = ingress;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            String cause = String.valueOf(request.decoderResult().cause().getMessage());
            LOG.log(
                    Level.DEBUG,
                    "node {0}: malformed request from {1}: {2}",
                    ingress.nodeId(),
                    ctx.channel().remoteAddress(),
                    cause);
            respond(ctx, request, Reply.error(400, "malformed request: " + cause), false);
            return;
        }
        Optional<ServiceTarget> target = ServiceTarget.of(request);
        if (target.isEmpty()) {
            respond(
                    ctx,
                    request,
                    Reply.error(
                            400,
                            "no service named: send a proxy request (http://SERVICE/path) or a "
                                    + ServiceTarget.SERVICE_HEADER + " header"),
                    HttpUtil.isKeepAlive(request));
            return;
        }
        String service = target.get().service();
        LOG.log(
                Level.DEBUG,
                "node {0}: {1} {2}{3} from {4}",
                ingress.nodeId(),
                request.method(),
                service,
                target.get().path(),
                ctx.channel().remoteAddress());
        respond(ctx, request, answer(request, target.get()), HttpUtil.isKeepAlive(request));
    }

    private Reply answer(FullHttpRequest request, ServiceTarget target) {
        String node = request.headers().get(NODE_HEADER);
        if (node != null && !ingress.isThisNode(node.trim())) {
            // Relaying to other nodes arrives with the links between them.
            return Reply.error(502, "no route to node " + node.trim());
        }
        Optional<NodeEndpoint> endpoint = ingress.endpoint(target.service());
        if (endpoint.isPresent()) {
            return endpoint.get().handle(request.method().name(), target.path());
        }
        return Reply.error(502, "no route to service " + target.service());
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, Reply reply, boolean keepAlive) {
        ByteBuf body = Unpooled.copiedBuffer(reply.body(), StandardCharsets.UTF_8);
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()), body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(PATH_HEADER, ingress.nodeId());
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(
                Level.DEBUG,
                "node " + ingress.nodeId() + ": closing " + ctx.channel().remoteAddress(),
                cause);
        ctx.close();
    }
}
