package network.micro.tunnel.internal;

/** A control message broke the rules of the control stream: too large, not UTF-8, not JSON, or not an object. */
final class ControlMessageException extends Exception {

    ControlMessageException(String message) {
        super(message);
    }
}
