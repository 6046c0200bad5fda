package network.micro.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service the node serves itself, in-process, through its proxy listener, such as {@value
 * Network#SERVICE_NAME}. Requests that name {@link #service()} reach {@link #handle} instead of a route.
 */
@ConsumerType
public interface NodeEndpoint {

    /** The service name the endpoint answers to. */
    String service();

    /**
     * Answers one request. Called on an I/O thread: it must not block.
     *
     * @param method the HTTP method, upper case
     * @param path the request path with its query, starting with {@code /}
     */
    Reply handle(String method, String path);

    /**
     * The answer to a request.
     *
     * @param status the HTTP status code
     * @param contentType the media type of the body
     * @param body the body, UTF-8 text
     */
    record Reply(int status, String contentType, String body) {

        /** A JSON body with status 200. */
        public static Reply json(String body) {
            return new Reply(200, "application/json", body);
        }

        /** A plain text error. */
        public static Reply error(int status, String message) {
            return new Reply(status, "text/plain; charset=utf-8", message + "\n");
        }
    }
}
