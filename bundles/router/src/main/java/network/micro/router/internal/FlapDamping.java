package network.micro.router.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Damps routes that flap, after the manner of BGP route flap damping: every withdrawal or change of a route adds a
 * penalty that decays by half every {@link #HALF_LIFE_NANOS}. A route whose penalty passes {@link #SUPPRESS} is
 * suppressed until its penalty decays below {@link #REUSE}.
 *
 * <p>Not thread-safe: its owner serialises access.
 */
final class FlapDamping {

    static final double PENALTY = 1000;
    static final double SUPPRESS = 3000;
    static final double REUSE = 750;
    static final long HALF_LIFE_NANOS = 15_000_000_000L;

    private record Penalty(double value, long at, boolean suppressed) {}

    private final Map<String, Penalty> penalties = new HashMap<>();
    private final LongSupplier nanoTime;

    FlapDamping(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Records one flap of {@code key}. */
    void flap(String key) {
        long now = nanoTime.getAsLong();
        Penalty old = penalties.get(key);
        double value = (old == null ? 0 : decayed(old, now)) + PENALTY;
        boolean suppressed = value > SUPPRESS || (old != null && old.suppressed && value >= REUSE);
        penalties.put(key, new Penalty(value, now, suppressed));
    }

    /** Whether {@code key} is suppressed now. */
    boolean isSuppressed(String key) {
        Penalty penalty = penalties.get(key);
        if (penalty == null) {
            return false;
        }
        long now = nanoTime.getAsLong();
        double value = decayed(penalty, now);
        if (value < REUSE) {
            penalties.remove(key);
            return false;
        }
        return penalty.suppressed;
    }

    /** Forgets penalties that have decayed to nothing, so that the map does not grow without bound. */
    void prune() {
        long now = nanoTime.getAsLong();
        for (Iterator<Penalty> it = penalties.values().iterator(); it.hasNext(); ) {
            if (decayed(it.next(), now) < REUSE / 2) {
                it.remove();
            }
        }
    }

    private static double decayed(Penalty penalty, long now) {
        double halfLives = (double) (now - penalty.at) / HALF_LIFE_NANOS;
        return penalty.value * Math.pow(0.5, halfLives);
    }
}
