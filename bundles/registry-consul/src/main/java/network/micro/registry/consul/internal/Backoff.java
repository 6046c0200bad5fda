package network.micro.registry.consul.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between attempts to reach a lost registry: doubling from {@code first} up to {@code cap}, each wait drawn
 * at random from its upper half so that nodes which lost the registry together do not return together.
 */
final class Backoff {

    private final long firstMillis;
    private final long capMillis;
    private int failures;

    Backoff(Duration first, Duration cap) {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= cap, got " + first + " and " + cap);
        }
        this.firstMillis = first.toMillis();
        this.capMillis = cap.toMillis();
    }

    /** The wait before the next attempt; each call counts one more failure. */
    synchronized long nextMillis() {
        long ceiling = capMillis;
        if (failures < 30 && firstMillis << failures < capMillis) {
            ceiling = firstMillis << failures;
        }
        failures++;
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }

    /** Starts again from the first wait, after a success. */
    synchronized void reset() {
        failures = 0;
    }
}
