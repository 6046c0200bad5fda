package network.micro.api;

/** A handle on a watch; closing it stops the notifications. Closing twice is harmless. */
@FunctionalInterface
public interface Registration extends AutoCloseable {

    @Override
    void close();
}
