package network.micro.registry.consul.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.Test;

public class LocalServiceTest {

    @Test
    public void readsEntriesCommaSeparatedOrApart() {
        assertEquals(
                List.of(
                        new LocalService("greeter", "127.0.0.1:9090"),
                        new LocalService("echo", "[::1]:9091"),
                        new LocalService("x", "h:1")),
                LocalService.parse(new String[] {" greeter = 127.0.0.1:9090 , echo=[::1]:9091", "", "x=h:1"}));
        assertEquals(List.of(), LocalService.parse(null));
    }

    @Test
    public void aBadEntryIsRefusedByName() {
        assertMessage("greeter", "service to register \"greeter\" is not name=host:port");
        assertMessage("a b=h:1", "\"a b\" is not a service name");
        assertMessage("a=h:99999", "has port 99999");
        assertMessage("a=:80", "has no host");
    }

    @Test
    public void backoffDoublesUpToItsCapWithJitter() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] bounds = {100, 200, 400, 800, 1000, 1000};
        for (long bound : bounds) {
            long wait = backoff.nextMillis();
            assertTrue(wait + " not in [" + bound / 2 + ", " + bound + "]", wait >= bound / 2 && wait <= bound);
        }
        backoff.reset();
        assertTrue(backoff.nextMillis() <= 100);
    }

    private static void assertMessage(String entry, String part) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LocalService.parse(new String[] {entry}));
        assertTrue(e.getMessage(), e.getMessage().contains(part));
    }
}
