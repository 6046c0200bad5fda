package network.micro.network.internal;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Arrays;
import java.util.List;
import network.micro.relay.RelayRequest;

/**
 * The headers that open a relayed stream on a link, and those that answer it. The opener names the service, the
 * node ids the request crossed so far, the request id and, when one is asked for, the node that must answer. The
 * answer is {@code :status 200} with the whole path once the far end is connected, or an error status with a
 * reason and END_STREAM.
 */
final class RelayHeaders {

    static final String SERVICE = "micro-service";
    static final String PATH = "micro-path";
    static final String REQUEST_ID = "micro-request-id";
    static final String NODE = "micro-node";
    static final String ERROR = "micro-error";

    private RelayHeaders() {}

    static Http2Headers open(RelayRequest request) {
        Http2Headers headers = new DefaultHttp2Headers()
                .method("POST")
                .scheme("https")
                .path("/micro/relay")
                .authority(request.service());
        headers.set(SERVICE, request.service());
        headers.set(PATH, String.join(",", request.path()));
        headers.set(REQUEST_ID, request.requestId());
        if (!request.node().isEmpty()) {
            headers.set(NODE, request.node());
        }
        return headers;
    }

    /** The request a peer opened a stream for; throws IllegalArgumentException naming what is missing. */
    static RelayRequest request(Http2Headers headers) {
        CharSequence service = headers.get(SERVICE);
        CharSequence path = headers.get(PATH);
        if (service == null || service.length() == 0 || path == null || path.length() == 0) {
            throw new IllegalArgumentException("a relayed stream needs " + SERVICE + " and " + PATH + " headers");
        }
        CharSequence id = headers.get(REQUEST_ID);
        CharSequence node = headers.get(NODE);
        return new RelayRequest(
                service.toString(),
                split(path.toString()),
                id == null ? "" : id.toString(),
                node == null ? "" : node.toString());
    }

    static Http2Headers connected(List<String> path) {
        Http2Headers headers = new DefaultHttp2Headers().status("200");
        headers.set(PATH, String.join(",", path));
        return headers;
    }

    static Http2Headers failed(int status, String reason) {
        Http2Headers headers = new DefaultHttp2Headers().status(String.valueOf(status));
        // Header values are one line of visible ASCII.
        headers.set(ERROR, reason.replaceAll("[^\\x20-\\x7e]", "?"));
        return headers;
    }

    static List<String> split(String path) {
        return Arrays.stream(path.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
