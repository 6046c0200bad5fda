package network.micro.launcher;

/** The command line is wrong: the message says how, and the usage follows. Exit code 2. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
