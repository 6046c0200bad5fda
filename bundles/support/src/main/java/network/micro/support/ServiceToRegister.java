package network.micro.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import network.micro.api.HostPort;

/**
 * A service this node registers in a registry, as an operator writes it in the configuration:
 * {@code name=host:port}.
 *
 * @param name the service name
 * @param address {@code host:port} of the instance
 */
public record ServiceToRegister(String name, String address) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    /**
     * Parses the configured entries; each entry may itself hold several, comma separated.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code name=host:port}
     */
    public static List<ServiceToRegister> parse(String[] entries) {
        List<ServiceToRegister> services = new ArrayList<>();
        for (String entry : entries == null ? new String[0] : entries) {
            for (String part : entry.split(",")) {
                if (!part.isBlank()) {
                    services.add(parseOne(part.trim()));
                }
            }
        }
        return services;
    }

    private static ServiceToRegister parseOne(String entry) {
        int equals = entry.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("service to register \"" + entry + "\" is not name=host:port");
        }
        String name = entry.substring(0, equals).trim();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("service to register \"" + entry + "\": \"" + name
                    + "\" is not a service name (letters, digits, '.', '_', '-')");
        }
        String address = entry.substring(equals + 1).trim();
        try {
            HostPort.parseDialable(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("service to register \"" + entry + "\": " + e.getMessage());
        }
        return new ServiceToRegister(name, address);
    }

    /** The port of {@link #address}. */
    public int port() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The host of {@link #address}, without IPv6 brackets. */
    public String host() {
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
