package network.micro.tunnel;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import network.micro.testsupport.NettyLeakRule;
import org.junit.Rule;
import org.junit.Test;

public class TunnelOptionsTest {

    @Rule
    public final NettyLeakRule leaks = new NettyLeakRule();

    @Test
    public void fillsDefaults() {
        TunnelOptions options = TunnelOptions.builder("a", "go.micro", "secret")
                .listenAddress(":8085")
                .build();

        assertEquals(Duration.ofSeconds(1), options.keepaliveInterval());
        assertEquals(Duration.ofSeconds(3), options.deadAfter());
        assertEquals(Duration.ofSeconds(5), options.handshakeTimeout());
        assertEquals(1024 * 1024, options.maxControlMessageBytes());
        assertEquals(64, options.maxPendingConnections());
        assertEquals(List.of(), options.seeds());
        assertEquals(":8085", options.effectiveAdvertiseAddress());
    }

    @Test
    public void refusesBadValuesNamingThem() {
        assertMessage("token", () -> TunnelOptions.builder("a", "go.micro", "").build());
        assertMessage(
                "nodeId", () -> TunnelOptions.builder(" ", "go.micro", "t").build());
        assertMessage(
                "seed",
                () -> TunnelOptions.builder("a", "go.micro", "t")
                        .seeds(List.of("no-port"))
                        .build());
        assertMessage(
                "seed",
                () -> TunnelOptions.builder("a", "go.micro", "t")
                        .seeds(List.of("host:70000"))
                        .build());
        assertMessage(
                "deadAfter",
                () -> TunnelOptions.builder("a", "go.micro", "t")
                        .deadAfter(Duration.ofMillis(500))
                        .build());
        assertMessage(
                "keyFile",
                () -> TunnelOptions.builder("a", "go.micro", "t")
                        .certificate(Path.of("cert.pem"), null)
                        .build());
        assertMessage(
                "reconnectBackoffMax",
                () -> TunnelOptions.builder("a", "go.micro", "t")
                        .reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))
                        .build());
    }

    private static void assertMessage(String name, org.junit.function.ThrowingRunnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage(), e.getMessage().contains(name));
    }
}
