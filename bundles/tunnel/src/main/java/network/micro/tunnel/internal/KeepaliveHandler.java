package network.micro.tunnel.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a link alive and measures it, in the connection's pipeline after the multiplexer. Every keepalive interval it
 * sends an HTTP/2 PING carrying its send time; each answer gives an RTT sample. When no answer has come for {@code
 * deadAfter}, the link is declared dead. PINGs from the peer are answered by the HTTP/2 codec itself.
 */
final class KeepaliveHandler extends ChannelInboundHandlerAdapter {

    /** Told of samples and death, on the event loop. */
    interface Probe {

        void rttSample(long nanos);

        void dead(String reason);
    }

    /** Samples above this are answers to someone else's PING, or lies: ignored. */
    private static final long MAX_SAMPLE_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** How many times per dead-after period the watchdog looks. */
    private static final int WATCHDOG_CHECKS = 20;

    private final long intervalNanos;
    private final long deadAfterNanos;
    private final Probe probe;
    private long lastAnswerNanos;
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> watchdog;

    KeepaliveHandler(Duration interval, Duration deadAfter, Probe probe) {
        this.intervalNanos = interval.toNanos();
        this.deadAfterNanos = deadAfter.toNanos();
        this.probe = probe;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastAnswerNanos = System.nanoTime();
        pinger = ctx.executor().scheduleAtFixedRate(() -> ping(ctx), 0, intervalNanos, TimeUnit.NANOSECONDS);
        long check = Math.max(1, deadAfterNanos / WATCHDOG_CHECKS);
        watchdog = ctx.executor().scheduleAtFixedRate(this::watch, check, check, TimeUnit.NANOSECONDS);
    }

    private void ping(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new DefaultHttp2PingFrame(System.nanoTime()));
        }
    }

    private void watch() {
        long silent = System.nanoTime() - lastAnswerNanos;
        if (silent > deadAfterNanos) {
            stop();
            probe.dead("no keepalive answer for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms");
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2PingFrame ping) {
            if (ping.ack()) {
                long now = System.nanoTime();
                lastAnswerNanos = now;
                long sample = now - ping.content();
                if (sample > 0 && sample < MAX_SAMPLE_NANOS) {
                    probe.rttSample(sample);
                }
            }
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (pinger != null) {
            pinger.cancel(false);
            watchdog.cancel(false);
        }
    }
}
