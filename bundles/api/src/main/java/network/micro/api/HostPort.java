package network.micro.api;

/**
 * A {@code host:port} address as users write it. The host may be empty ({@code :8085}, every interface) or an IPv6
 * literal in brackets ({@code [::1]:8085}).
 *
 * @param host host name or IP literal without brackets, empty for every interface
 * @param port 0 to 65535; 0 asks the system for a free port
 */
public record HostPort(String host, int port) {

    public HostPort {
        host = host == null ? "" : host;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
    }

    /**
     * Parses {@code host:port}.
     *
     * @throws IllegalArgumentException naming {@code text} when it is not an address
     */
    public static HostPort parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address; expected host:port");
        }
        String trimmed = text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address \"" + text + "\" has no port; expected host:port");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("address \"" + text + "\": write IPv6 hosts in brackets, [::1]:8085");
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address \"" + text + "\" has no numeric port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("address \"" + text + "\" has port " + port + ", outside 0-65535");
        }
        return new HostPort(host, port);
    }

    /**
     * Parses {@code host:port} that a node can dial: unlike {@link #parse}, the host must not be empty and the port
     * must be 1 to 65535.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code address}
     */
    public static HostPort parseDialable(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("the address is missing");
        }
        HostPort parsed = parse(address);
        if (parsed.host().isEmpty()) {
            throw new IllegalArgumentException("address \"" + address + "\" has no host");
        }
        if (parsed.port() == 0) {
            throw new IllegalArgumentException("address \"" + address + "\" has port 0, outside 1-65535");
        }
        return parsed;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
