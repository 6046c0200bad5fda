package network.micro.relay;

import java.util.List;
import java.util.Objects;

/**
 * What a stream is for, and the way it came so far.
 *
 * @param service the service to reach
 * @param path the node ids the request passed through, the ingress first; empty at the ingress itself
 * @param requestId an id for logs, unique enough to find one request across nodes
 * @param node when not empty, the id or address of the node whose own instance must answer; any node otherwise
 */
public record RelayRequest(String service, List<String> path, String requestId, String node) {

    public RelayRequest {
        Objects.requireNonNull(service, "service");
        path = path == null ? List.of() : List.copyOf(path);
        requestId = requestId == null ? "" : requestId;
        node = node == null ? "" : node;
    }

    /** A request that starts at this node, for any instance of {@code service}. */
    public static RelayRequest of(String service, String requestId) {
        return new RelayRequest(service, List.of(), requestId, "");
    }
}
