package network.micro.registry.mdns.internal;

import java.util.List;
import network.micro.support.ServiceToRegister;

/**
 * The mDNS registry's configuration, checked.
 *
 * @param interfaceAddress the IP address of the interface to browse and announce on; empty for the host's own
 * @param type the DNS-SD service type, such as {@code _micro._tcp.local.}
 * @param register the services this node announces
 * @param nodeId the node's id, part of the ids of the instances it announces
 */
record MdnsSettings(String interfaceAddress, String type, List<ServiceToRegister> register, String nodeId) {

    MdnsSettings {
        interfaceAddress = interfaceAddress == null ? "" : interfaceAddress.trim();
        type = type.endsWith(".") ? type : type + ".";
        if (!type.startsWith("_") || !type.endsWith(".local.")) {
            throw new IllegalArgumentException("service type \"" + type + "\" is not like _micro._tcp.local.");
        }
        register = List.copyOf(register);
    }

    /** The id of this node's instance of {@code service}. */
    String instanceId(ServiceToRegister service) {
        return service.name() + "-" + nodeId + "-" + service.port();
    }
}
