package network.micro.launcher;

import java.util.logging.LogManager;

/**
 * The log manager of a running node. The JDK's own resets logging from a shutdown hook of its own, which may run
 * before the node has stopped, and the node's last words (links going down, bundles stopping) would be lost. This
 * one leaves the reset to the launcher, once the framework has stopped.
 */
public final class NodeLogManager extends LogManager {

    @Override
    public void reset() {
        // Called by the JDK's shutdown hook, too early; see resetAfterStop().
    }

    /** Closes every handler: the node has stopped and said all it had to say. */
    void resetAfterStop() {
        super.reset();
    }

    /** Closes the handlers when this is the log manager in force. */
    static void closeHandlers() {
        if (LogManager.getLogManager() instanceof NodeLogManager manager) {
            manager.resetAfterStop();
        }
    }
}
