package network.micro.registry.etcd.internal;

import java.time.Duration;
import java.util.List;
import network.micro.support.ServiceToRegister;

/**
 * The etcd registry's configuration, checked.
 *
 * @param addresses etcd endpoints, {@code host:port} or URLs
 * @param prefix the key prefix, ending in {@code /}
 * @param register the services this node registers
 * @param nodeId the node's id, part of the ids of the instances it registers
 * @param leaseTtl the lifetime of the registration lease
 * @param grace how long the services last read stay in force once etcd is lost
 * @param reconnectFirst the first wait before trying a lost etcd again
 * @param reconnectMax the longest wait between two tries
 */
record EtcdSettings(
        List<String> addresses,
        String prefix,
        List<ServiceToRegister> register,
        String nodeId,
        Duration leaseTtl,
        Duration grace,
        Duration reconnectFirst,
        Duration reconnectMax) {

    EtcdSettings {
        addresses = List.copyOf(addresses);
        prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        register = List.copyOf(register);
        if (leaseTtl.toSeconds() < 2) {
            throw new IllegalArgumentException("lease TTL " + leaseTtl.toSeconds() + "s is below 2 seconds");
        }
    }

    /** How often the lease is renewed and etcd is checked: a third of the lease's lifetime. */
    Duration heartbeat() {
        return leaseTtl.dividedBy(3);
    }

    /** The id of this node's instance of {@code service}. */
    String instanceId(ServiceToRegister service) {
        return service.name() + "-" + nodeId + "-" + service.port();
    }
}
