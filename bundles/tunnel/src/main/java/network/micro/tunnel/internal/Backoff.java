package network.micro.tunnel.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter: the n-th delay is drawn from [d/2, d] where d = min(max, min * 2^n), so that
 * nodes that lost each other at the same moment do not redial in lockstep. Not thread-safe.
 */
final class Backoff {

    private final long minNanos;
    private final long maxNanos;
    private int failures;

    Backoff(Duration min, Duration max) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        if (minNanos <= 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("need 0 < min <= max: " + min + ", " + max);
        }
    }

    /** The delay before the next attempt; each call doubles the ceiling until it reaches the maximum. */
    Duration next() {
        long ceiling = minNanos;
        for (int i = 0; i < failures && ceiling < maxNanos; i++) {
            ceiling = Math.min(maxNanos, ceiling * 2);
        }
        if (ceiling < maxNanos) {
            failures++;
        }
        long floor = Math.max(minNanos / 2, ceiling / 2);
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(floor, ceiling + 1));
    }

    /** Starts again from the minimum, after a link came up. */
    void reset() {
        failures = 0;
    }

    /** The longest delay this backoff gives. */
    Duration max() {
        return Duration.ofNanos(maxNanos);
    }
}
