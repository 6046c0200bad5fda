package network.micro.registry.consul.internal;

import java.time.Duration;
import java.util.List;
import network.micro.support.ServiceToRegister;

/**
 * The Consul registry's configuration, checked.
 *
 * @param addresses the agents' HTTP API, {@code host:port} or URLs
 * @param token the ACL token sent with every call, empty for none
 * @param register the services this node registers with the agent
 * @param nodeId the node's id, part of the ids of the instances it registers
 * @param checkTtl the TTL of the registered instances' checks
 * @param blockingWait the longest a blocking query waits for a change
 * @param grace how long the services last read stay in force once Consul is lost
 * @param reconnectFirst the first wait before trying a lost Consul again
 * @param reconnectMax the longest wait between two tries
 */
record ConsulSettings(
        List<String> addresses,
        String token,
        List<ServiceToRegister> register,
        String nodeId,
        Duration checkTtl,
        Duration blockingWait,
        Duration grace,
        Duration reconnectFirst,
        Duration reconnectMax) {

    ConsulSettings {
        addresses = List.copyOf(addresses);
        token = token == null ? "" : token.trim();
        register = List.copyOf(register);
        if (checkTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("check TTL " + checkTtl.toSeconds() + "s is below 1 second");
        }
        if (blockingWait.toSeconds() < 1 || blockingWait.toSeconds() > 600) {
            throw new IllegalArgumentException("blocking wait " + blockingWait.toSeconds() + "s is outside 1s-10m");
        }
    }

    /** The id of this node's instance of {@code service}. */
    String instanceId(ServiceToRegister service) {
        return service.name() + "-" + nodeId + "-" + service.port();
    }

    /** The id of the TTL check of {@code service}'s instance. */
    String checkId(ServiceToRegister service) {
        return "service:" + instanceId(service);
    }
}
