package network.micro.relay;

/**
 * A stream that could not be opened, with the HTTP status the ingress should answer: 502 when no route led to the
 * service or every route failed before a byte was sent, 508 when the way would loop or exceed the hop limit.
 */
public final class RelayException extends Exception {

    private static final long serialVersionUID = 1L;

    /** No route to the service, or every route failed. */
    public static final int BAD_GATEWAY = 502;

    /** The path would loop or cross more than the hop limit. */
    public static final int LOOP_DETECTED = 508;

    private final int status;

    public RelayException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status that describes the failure. */
    public int status() {
        return status;
    }
}
