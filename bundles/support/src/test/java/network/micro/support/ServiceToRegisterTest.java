package network.micro.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class ServiceToRegisterTest {

    @Test
    public void readsEntriesCommaSeparatedOrApart() {
        assertEquals(
                List.of(
                        new ServiceToRegister("greeter", "127.0.0.1:9090"),
                        new ServiceToRegister("echo", "[::1]:9091"),
                        new ServiceToRegister("x", "h:1")),
                ServiceToRegister.parse(new String[] {" greeter = 127.0.0.1:9090 , echo=[::1]:9091", "", "x=h:1"}));
        assertEquals(List.of(), ServiceToRegister.parse(null));
    }

    @Test
    public void aBadEntryIsRefusedByName() {
        assertMessage("greeter", "service to register \"greeter\" is not name=host:port");
        assertMessage("a b=h:1", "\"a b\" is not a service name");
        assertMessage("a=h:99999", "has port 99999");
        assertMessage("a=:80", "has no host");
    }

    @Test
    public void splitsTheAddressIntoHostAndPort() {
        ServiceToRegister echo = new ServiceToRegister("echo", "[::1]:9091");
        assertEquals("::1", echo.host());
        assertEquals(9091, echo.port());
        assertEquals("127.0.0.1", new ServiceToRegister("greeter", "127.0.0.1:9090").host());
    }

    private static void assertMessage(String entry, String part) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ServiceToRegister.parse(new String[] {entry}));
        assertTrue(e.getMessage(), e.getMessage().contains(part));
    }
}
