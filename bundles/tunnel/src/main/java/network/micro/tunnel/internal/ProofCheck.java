package network.micro.tunnel.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The listener's last step of the handshake, on the control stream after the {@link ControlCodec}: the first control
 * message must be the dialer's proof. A good proof removes this handler, so later messages flow on, and calls {@link
 * Outcome#verified()}; anything else calls {@link Outcome#refused(String)} once and swallows the rest.
 */
final class ProofCheck extends ChannelInboundHandlerAdapter {

    /** Told how the check ended, on the stream's event loop. */
    interface Outcome {

        void verified();

        void refused(String reason);
    }

    private final String expectedProof;
    private final Outcome outcome;
    private boolean done;

    ProofCheck(String expectedProof, Outcome outcome) {
        this.expectedProof = expectedProof;
        this.outcome = outcome;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof ControlMessage message)) {
            ReferenceCountUtil.release(msg);
            refuse("unexpected " + msg.getClass().getSimpleName() + " before the dialer's proof");
            return;
        }
        String type = message.linkType();
        if (ControlMessages.BYE.equals(type)) {
            refuse("peer refused the link: " + message.text("reason"));
        } else if (!ControlMessages.AUTH.equals(type)) {
            refuse("first control message is not the dialer's proof");
        } else if (!LinkProofs.matches(expectedProof, message.text("proof"))) {
            refuse("token mismatch: the dialer's proof does not match this node's token");
        } else {
            done = true;
            ctx.pipeline().remove(this);
            outcome.verified();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ControlMessageException) {
            refuse("bad control message before the dialer's proof: " + cause.getMessage());
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    private void refuse(String reason) {
        if (!done) {
            done = true;
            outcome.refused(reason);
        }
    }
}
