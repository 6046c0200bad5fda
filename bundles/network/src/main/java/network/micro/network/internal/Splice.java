package network.micro.network.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * One direction of a relay: what this channel reads is written to the other. When the other cannot take more, this
 * channel stops reading until it can, so a slow reader slows its writer and nothing piles up in memory. The end of
 * this side's input ends the other's output; closing either closes both.
 */
final class Splice extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(Splice.class.getName());

    private final Channel other;
    private final Supplier<io.netty.util.concurrent.Future<?>> shutdownOther;
    private final String label;

    /**
     * @param other the channel to write to
     * @param shutdownOther ends the other channel's output
     * @param label names the relay in logs: request id and service
     */
    Splice(Channel other, Supplier<io.netty.util.concurrent.Future<?>> shutdownOther, String label) {
        this.other = other;
        this.shutdownOther = shutdownOther;
        this.label = label;
    }

    /** Connects {@code a} and {@code b} both ways; each must already be active, with autoRead off. */
    static void both(RelayEnd a, RelayEnd b, String label) {
        a.channel().pipeline().addLast(new Splice(b.channel(), b.shutdown(), label));
        b.channel().pipeline().addLast(new Splice(a.channel(), a.shutdown(), label));
        a.channel().config().setAutoRead(true);
        b.channel().config().setAutoRead(true);
        a.channel().read();
        b.channel().read();
    }

    /** A channel of a relay, and how to end its output. */
    record RelayEnd(Channel channel, Supplier<io.netty.util.concurrent.Future<?>> shutdown) {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf) || !other.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        other.write(msg).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        if (!other.isWritable()) {
            ctx.channel().config().setAutoRead(false);
            // The two channels may run on different event loops (at a hop, two links): the other may have drained
            // between the check and the pause, its writability event already gone, and this side would never read
            // again. Look once more after pausing.
            if (other.isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        other.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This channel drained: let the other side read again.
        if (ctx.channel().isWritable()) {
            other.config().setAutoRead(true);
            other.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            other.flush();
            shutdownOther.get().addListener(done -> {
                if (!done.isSuccess()) {
                    other.close();
                }
            });
            closeIfBothEnded(ctx.channel());
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        other.flush();
        other.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "relay {0}: closing after {1}", label, String.valueOf(cause));
        ctx.close();
        other.close();
    }

    private void closeIfBothEnded(Channel channel) {
        if (channel instanceof io.netty.channel.socket.DuplexChannel duplex && duplex.isOutputShutdown()) {
            channel.close();
        }
    }
}
