package network.micro.tunnel.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import network.micro.testsupport.NettyLeakRule;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;

public class ProofCheckTest {

    private static final LinkProofs.Binding BINDING = new LinkProofs.Binding(
            "go.micro",
            "dialer-1",
            "listener-1",
            LinkProofs.newNonce(),
            LinkProofs.newNonce(),
            new byte[] {1, 2},
            new byte[] {3, 4});

    @Rule
    public final NettyLeakRule leaks = new NettyLeakRule();

    private final List<String> outcomes = new ArrayList<>();
    private final String expected = LinkProofs.proof("secret", LinkProofs.DIALER, BINDING);
    private final ProofCheck check = new ProofCheck(expected, new ProofCheck.Outcome() {
        @Override
        public void verified() {
            outcomes.add("verified");
        }

        @Override
        public void refused(String reason) {
            outcomes.add(reason);
        }
    });
    private final EmbeddedChannel channel = new EmbeddedChannel(new ControlCodec(1024), check);

    @After
    public void finish() {
        channel.finishAndReleaseAll();
    }

    @Test
    public void acceptsTheRightProofAndStepsAside() {
        send(ControlMessages.auth(expected) + "\n{\"next\":1}\n");

        assertEquals(List.of("verified"), outcomes);
        assertNull(channel.pipeline().get(ProofCheck.class));
        assertEquals("{\"next\":1}", ((ControlMessage) channel.readInbound()).json());
    }

    @Test
    public void refusesAProofMadeWithAnotherToken() {
        send(ControlMessages.auth(LinkProofs.proof("other", LinkProofs.DIALER, BINDING)) + "\n{\"next\":1}\n");

        assertEquals(1, outcomes.size());
        assertTrue(outcomes.get(0), outcomes.get(0).contains("token mismatch"));
        assertNull("nothing passes a failed check", channel.readInbound());
    }

    @Test
    public void refusesTheListenersOwnProofReplayed() {
        send(ControlMessages.auth(LinkProofs.proof("secret", LinkProofs.LISTENER, BINDING)) + "\n");

        assertTrue(outcomes.get(0), outcomes.get(0).contains("token mismatch"));
    }

    @Test
    public void refusesGarbage() {
        channel.writeInbound(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[] {0, 1, 2, '\n'})));

        assertEquals(1, outcomes.size());
        assertTrue(outcomes.get(0), outcomes.get(0).startsWith("bad control message"));
    }

    @Test
    public void refusesAnotherMessageFirst() {
        send("{\"type\":\"routes\"}\n");

        assertEquals(List.of("first control message is not the dialer's proof"), outcomes);
    }

    @Test
    public void proofsDependOnEveryPartOfTheBinding() {
        LinkProofs.Binding otherNonce = new LinkProofs.Binding(
                "go.micro",
                "dialer-1",
                "listener-1",
                LinkProofs.newNonce(),
                BINDING.listenerNonce(),
                BINDING.dialerFingerprint(),
                BINDING.listenerFingerprint());
        LinkProofs.Binding otherCertificate = new LinkProofs.Binding(
                "go.micro",
                "dialer-1",
                "listener-1",
                BINDING.dialerNonce(),
                BINDING.listenerNonce(),
                new byte[] {9},
                BINDING.listenerFingerprint());

        assertNotEquals(expected, LinkProofs.proof("secret", LinkProofs.DIALER, otherNonce));
        assertNotEquals(expected, LinkProofs.proof("secret", LinkProofs.DIALER, otherCertificate));
        assertEquals(expected, LinkProofs.proof("secret", LinkProofs.DIALER, BINDING));
        assertFalse(LinkProofs.matches(expected, null));
    }

    private void send(String lines) {
        channel.writeInbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(lines, StandardCharsets.UTF_8)));
    }
}
