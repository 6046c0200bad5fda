package network.micro.network.internal;

import java.time.Duration;

/**
 * The cost of a link, from its smoothed round-trip time: one plus whole milliseconds. Never zero, so metrics grow with
 * every hop; coarse, so that the jitter of a fast link does not ripple route updates through the network.
 */
final class LinkCost {

    private LinkCost() {}

    static long of(Duration rtt) {
        return 1 + Math.max(0, rtt.toMillis());
    }
}
