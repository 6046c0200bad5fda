package network.micro.support;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter, for the waits between attempts to reach something lost (a registry, a
 * seed): the ceiling doubles from {@code first} up to {@code cap}, and each wait is drawn at random from the upper
 * half of the ceiling, [ceiling/2, ceiling], so that nodes which lost it together do not return together.
 * Thread-safe.
 */
public final class Backoff {

    private final long firstNanos;
    private final long capNanos;
    private int failures;

    /**
     * @param first the ceiling of the first wait
     * @param cap the longest wait
     * @throws IllegalArgumentException unless 0 &lt; first &lt;= cap
     */
    public Backoff(Duration first, Duration cap) {
        if (first == null || cap == null || first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= cap, got " + first + " and " + cap);
        }
        this.firstNanos = first.toNanos();
        this.capNanos = cap.toNanos();
    }

    /** The wait before the next attempt; each call counts one more failure, doubling the ceiling up to the cap. */
    public synchronized Duration next() {
        long ceiling = firstNanos;
        for (int i = 0; i < failures && ceiling < capNanos; i++) {
            ceiling = ceiling > capNanos / 2 ? capNanos : ceiling * 2;
        }
        if (ceiling < capNanos) {
            failures++;
        }
        long half = ceiling / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /** Starts again from the first wait, after a success. */
    public synchronized void reset() {
        failures = 0;
    }

    /** The longest wait this backoff gives. */
    public Duration max() {
        return Duration.ofNanos(capNanos);
    }
}
