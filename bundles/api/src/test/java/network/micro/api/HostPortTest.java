package network.micro.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class HostPortTest {

    @Test
    public void parsesTheFormsUsersWrite() {
        assertEquals(new HostPort("127.0.0.1", 8081), HostPort.parse("127.0.0.1:8081"));
        assertEquals(new HostPort("", 8085), HostPort.parse(":8085"));
        assertEquals(new HostPort("::1", 9), HostPort.parse("[::1]:9"));
        assertEquals(new HostPort("node.example", 0), HostPort.parse(" node.example:0 "));
    }

    @Test
    public void printsWhatItParsed() {
        assertEquals("[::1]:9", HostPort.parse("[::1]:9").toString());
        assertEquals(":8085", HostPort.parse(":8085").toString());
    }

    @Test
    public void badAddressesNameTheText() {
        assertEquals("address \"host\" has no port; expected host:port", message("host"));
        assertEquals("address \"host:x\" has no numeric port", message("host:x"));
        assertEquals("address \"host:70000\" has port 70000, outside 0-65535", message("host:70000"));
        assertEquals("address \"::1:80\": write IPv6 hosts in brackets, [::1]:8085", message("::1:80"));
        assertEquals("empty address; expected host:port", message(" "));
    }

    @Test
    public void dialableAddressesNeedAHostAndAPort() {
        assertEquals(new HostPort("127.0.0.1", 9090), HostPort.parseDialable("127.0.0.1:9090"));
        assertEquals(new HostPort("::1", 1), HostPort.parseDialable("[::1]:1"));
        assertEquals("the address is missing", dialableMessage(null));
        assertEquals("the address is missing", dialableMessage(" "));
        assertEquals("address \":80\" has no host", dialableMessage(":80"));
        assertEquals("address \"h:0\" has port 0, outside 1-65535", dialableMessage("h:0"));
        assertEquals("address \"h:99999\" has port 99999, outside 0-65535", dialableMessage("h:99999"));
        assertEquals("address \"h\" has no port; expected host:port", dialableMessage("h"));
    }

    private static String dialableMessage(String address) {
        return assertThrows(IllegalArgumentException.class, () -> HostPort.parseDialable(address))
                .getMessage();
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text))
                .getMessage();
    }
}
