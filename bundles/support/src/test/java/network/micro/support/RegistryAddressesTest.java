package network.micro.support;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class RegistryAddressesTest {

    @Test
    public void theFlagWinsOverTheConfiguration() {
        assertEquals(List.of("10.0.0.9:2379"), RegistryAddresses.of("10.0.0.9:2379", new String[] {"a:1"}));
    }

    @Test
    public void configuredEntriesMayEachHoldSeveral() {
        assertEquals(List.of("a:1", "b:2", "c:3"), RegistryAddresses.of("", new String[] {"a:1, b:2", " ", "c:3"}));
        assertEquals(List.of(), RegistryAddresses.of(null, null));
    }
}
