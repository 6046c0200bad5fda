package network.micro.proxy.connect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import network.micro.proxy.codec.Backpressure;
import network.micro.relay.RelayStream;

/**
 * Bytes both ways between a client connection and a relay stream, each side read only while the other can take
 * more. An end of input on one side half-closes the other; the pair closes once both sides have ended, or when
 * either closes. The client side runs on the client's event loop, {@link StreamSide} on the stream's.
 */
final class Splice {

    private final Channel client;
    private final RelayStream stream;

    Splice(Channel client, RelayStream stream) {
        this.client = client;
        this.stream = stream;
    }

    void fromClient(ByteBuf bytes) {
        Channel out = stream.channel();
        out.writeAndFlush(bytes, out.voidPromise());
        Backpressure.afterWrite(client, out);
    }

    /** The client sent its last byte: the service reads end-of-stream once everything before it arrived. */
    void clientInputEnded() {
        stream.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> stream.shutdownOutput());
        if (client instanceof DuplexChannel duplex && duplex.isOutputShutdown()) {
            client.close();
        }
    }

    void clientWritabilityChanged() {
        Backpressure.writabilityChanged(stream.channel(), client);
    }

    void clientClosed() {
        stream.channel().close();
    }

    /** The relay stream's end of the splice: bytes from the service go to the client. */
    static final class StreamSide extends ChannelInboundHandlerAdapter {

        private final Channel client;

        StreamSide(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf bytes)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            client.writeAndFlush(bytes, client.voidPromise());
            Backpressure.afterWrite(ctx.channel(), client);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                // The service ended its side: end the client's once every byte before the end was written.
                client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
                    if (client instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
                        client.close();
                    } else if (client instanceof DuplexChannel duplex) {
                        duplex.shutdownOutput();
                    } else {
                        client.close();
                    }
                });
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            Backpressure.writabilityChanged(client, ctx.channel());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
