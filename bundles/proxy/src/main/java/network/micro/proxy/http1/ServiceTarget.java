package network.micro.proxy.http1;

import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import network.micro.proxy.codec.IngressContext;

/**
 * The service a request names, and the path to ask it for. Read once, at the ingress, from either form an HTTP/1.1
 * client may use:
 *
 * <ul>
 *   <li>a forward-proxy request, {@code GET http://greeter/hello}: the host is the service;
 *   <li>an origin-form request with a {@value IngressContext#SERVICE_HEADER} header: the header is the service.
 * </ul>
 *
 * @param service the service name
 * @param path the path and query to send to the service
 */
record ServiceTarget(String service, String path) {

    /** The target of {@code request}, or empty when it names no service. */
    static Optional<ServiceTarget> of(HttpRequest request) {
        String uri = request.uri();
        String header = request.headers().get(IngressContext.SERVICE_HEADER);
        if (header != null && !header.isBlank()) {
            return Optional.of(new ServiceTarget(header.trim(), originPath(uri)));
        }
        if (uri.startsWith("http://")) {
            try {
                URI parsed = new URI(uri);
                if (parsed.getHost() != null) {
                    return Optional.of(new ServiceTarget(parsed.getHost(), pathOf(parsed)));
                }
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String originPath(String uri) {
        if (uri.startsWith("http://")) {
            try {
                return pathOf(new URI(uri));
            } catch (URISyntaxException e) {
                return "/";
            }
        }
        return uri.isEmpty() ? "/" : uri;
    }

    private static String pathOf(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
