package network.micro.registry.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

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

    private static void assertMessage(String entry, String part) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LocalService.parse(new String[] {entry}));
        assertTrue(e.getMessage(), e.getMessage().contains(part));
    }
}
