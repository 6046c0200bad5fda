package network.micro.registry.etcd.internal;

import network.micro.api.HostPort;

/** Checks the instance addresses a registry hands out: a host and a port a node can dial. */
final class Addresses {

    private Addresses() {}

    /** What is wrong with {@code address} as {@code host:port} to dial, or null when nothing is. */
    static String problem(String address) {
        if (address == null || address.isBlank()) {
            return "the address is missing";
        }
        HostPort parsed;
        try {
            parsed = HostPort.parse(address);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (parsed.host().isEmpty()) {
            return "address \"" + address + "\" has no host";
        }
        if (parsed.port() == 0) {
            return "address \"" + address + "\" has port 0, outside 1-65535";
        }
        return null;
    }

    /** {@code host:port}, with brackets around an IPv6 host. */
    static String join(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
