package network.micro.tunnel.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Newline-delimited JSON on the control stream. Inbound, DATA frames become {@link ControlMessage}s, one per line, each
 * checked to be one JSON object of at most {@code maxBytes} bytes; outbound, a {@link String} becomes one DATA frame
 * holding it and a newline. Other frames pass through both ways.
 *
 * <p>A message that breaks the rules fires a {@link ControlMessageException} and the codec drops everything after it:
 * the stream cannot be trusted past a framing error. Closing the link is left to the handler that catches it.
 */
final class ControlCodec extends ChannelDuplexHandler {

    private static final byte NEWLINE = '\n';

    private final int maxBytes;
    private ByteBuf pending;
    private boolean failed;

    ControlCodec(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Http2DataFrame data)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!failed && data.content().isReadable()) {
                if (pending == null) {
                    pending = ctx.alloc().buffer(data.content().readableBytes());
                }
                pending.writeBytes(data.content());
            }
        } finally {
            data.release();
        }
        if (!failed && pending != null) {
            decodeLines(ctx);
        }
    }

    private void decodeLines(ChannelHandlerContext ctx) {
        while (!failed && pending != null && pending.isReadable()) {
            int start = pending.readerIndex();
            int newline = pending.indexOf(start, pending.writerIndex(), NEWLINE);
            if (newline < 0) {
                if (pending.readableBytes() > maxBytes) {
                    fail(ctx, "control message larger than " + maxBytes + " bytes");
                }
                break;
            }
            int length = newline - start;
            if (length > maxBytes) {
                fail(ctx, "control message of " + length + " bytes, larger than " + maxBytes);
                break;
            }
            String line;
            try {
                line = decodeUtf8(pending, start, length);
            } catch (CharacterCodingException e) {
                fail(ctx, "control message is not UTF-8");
                break;
            }
            pending.readerIndex(newline + 1);
            ControlMessage message;
            try {
                message = ControlMessages.parse(line);
            } catch (ControlMessageException e) {
                fail(ctx, e.getMessage());
                break;
            }
            ctx.fireChannelRead(message);
        }
        if (pending != null && !pending.isReadable()) {
            releasePending();
        } else if (pending != null) {
            pending.discardReadBytes();
        }
    }

    private static String decodeUtf8(ByteBuf buf, int index, int length) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(buf.nioBuffer(index, length))
                .toString();
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        failed = true;
        releasePending();
        ctx.fireExceptionCaught(new ControlMessageException(reason));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof String json) {
            ByteBuf buf = ctx.alloc().buffer(ByteBufUtil.utf8MaxBytes(json) + 1);
            ByteBufUtil.writeUtf8(buf, json);
            buf.writeByte(NEWLINE);
            ctx.write(new DefaultHttp2DataFrame(buf), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePending();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending();
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
