package network.micro.support;

import java.util.ArrayList;
import java.util.List;

/** Where a registry adapter finds its registry: the node's {@code --registry-address}, else its configuration. */
public final class RegistryAddresses {

    private RegistryAddresses() {}

    /**
     * The addresses to try, in order.
     *
     * @param flag the node's {@code --registry-address}, empty when it was given none; it wins when set
     * @param configured the configured entries, each one address or several comma separated
     */
    public static List<String> of(String flag, String[] configured) {
        String[] entries = flag == null || flag.isBlank() ? configured : new String[] {flag};
        List<String> addresses = new ArrayList<>();
        for (String entry : entries == null ? new String[0] : entries) {
            for (String address : entry.split(",")) {
                if (!address.isBlank()) {
                    addresses.add(address.trim());
                }
            }
        }
        return addresses;
    }
}
