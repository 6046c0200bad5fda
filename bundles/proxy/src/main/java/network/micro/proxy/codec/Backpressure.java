package network.micro.proxy.codec;

import io.netty.channel.Channel;

/**
 * Couples a reader to a writer: the reader stops reading while the writer's outbound buffer is full, so a slow
 * consumer slows its producer and memory stays bounded. Safe from any thread.
 */
public final class Backpressure {

    private Backpressure() {}

    /** Call after writing to {@code writer} what {@code reader} read. */
    public static void afterWrite(Channel reader, Channel writer) {
        if (!writer.isWritable()) {
            reader.config().setAutoRead(false);
            // The writer may have drained between the check and the pause, its writability event already gone.
            if (writer.isWritable()) {
                reader.config().setAutoRead(true);
            }
        }
    }

    /** Call when {@code writer}'s writability changed. */
    public static void writabilityChanged(Channel reader, Channel writer) {
        if (writer.isWritable() && reader.isActive()) {
            reader.config().setAutoRead(true);
        }
    }
}
