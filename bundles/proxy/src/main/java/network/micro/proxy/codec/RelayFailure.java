package network.micro.proxy.codec;

import io.netty.handler.codec.http.HttpResponseStatus;
import network.micro.relay.RelayException;

/**
 * Why a stream to a service could not be opened or ended early, as the client is told.
 *
 * @param status the HTTP status, 502 or 508
 * @param message one line for the client, naming the service
 */
public record RelayFailure(int status, String message) {

    /** The failure {@code cause} means for a stream to {@code service}. */
    public static RelayFailure of(Throwable cause, String service) {
        if (cause instanceof RelayException relay) {
            return new RelayFailure(relay.status(), relay.getMessage());
        }
        return new RelayFailure(RelayException.BAD_GATEWAY, "service " + service + " failed: " + cause);
    }

    /** The failure of a service that closed its stream before it answered. */
    public static RelayFailure closedEarly(String service) {
        return new RelayFailure(RelayException.BAD_GATEWAY, "service " + service + " closed before it answered");
    }

    /** The HTTP/1.1 status for {@code code}, with a reason phrase also for those Netty does not name. */
    public static HttpResponseStatus httpStatus(int code) {
        return code == RelayException.LOOP_DETECTED
                ? new HttpResponseStatus(code, "Loop Detected")
                : HttpResponseStatus.valueOf(code);
    }
}
