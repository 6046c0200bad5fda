package network.micro.registry.file.internal;

/** A services file that cannot be used; the message names the file and the line or entry at fault. */
final class ServicesFileException extends Exception {

    private static final long serialVersionUID = 1L;

    ServicesFileException(String message) {
        super(message);
    }
}
