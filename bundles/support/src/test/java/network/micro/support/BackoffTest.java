package network.micro.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import org.junit.Test;

public class BackoffTest {

    @Test
    public void backoffDoublesUpToItsCapWithJitter() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] bounds = {100, 200, 400, 800, 1000, 1000};
        for (long bound : bounds) {
            long wait = backoff.next().toMillis();
            assertTrue(wait + " not in [" + bound / 2 + ", " + bound + "]", wait >= bound / 2 && wait <= bound);
        }
        backoff.reset();
        assertTrue(backoff.next().toMillis() <= 100);
    }

    @Test
    public void everyWaitIsInTheUpperHalfOfItsCeiling() {
        for (int round = 0; round < 200; round++) {
            Backoff backoff = new Backoff(Duration.ofNanos(1000), Duration.ofNanos(5000));
            long[] ceilings = {1000, 2000, 4000, 5000, 5000, 5000};
            for (long ceiling : ceilings) {
                long wait = backoff.next().toNanos();
                assertTrue(
                        wait + " not in [" + ceiling / 2 + ", " + ceiling + "]",
                        wait >= ceiling / 2 && wait <= ceiling);
            }
        }
    }

    @Test
    public void staysAtTheCapAfterManyFailures() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofSeconds(30));
        for (int i = 0; i < 1000; i++) {
            backoff.next();
        }
        Duration wait = backoff.next();
        assertTrue(wait.toString(), wait.compareTo(Duration.ofSeconds(15)) >= 0);
        assertTrue(wait.toString(), wait.compareTo(Duration.ofSeconds(30)) <= 0);
    }

    @Test
    public void resetStartsAgainFromTheFirstWait() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(10));
        for (int i = 0; i < 20; i++) {
            backoff.next();
        }
        backoff.reset();
        long wait = backoff.next().toNanos();
        assertTrue(
                wait + " ns",
                wait >= Duration.ofMillis(5).toNanos()
                        && wait <= Duration.ofMillis(10).toNanos());
    }

    @Test
    public void aFirstWaitEqualToTheCapIsAllowed() {
        Backoff backoff = new Backoff(Duration.ofMillis(40), Duration.ofMillis(40));
        for (int i = 0; i < 5; i++) {
            long wait = backoff.next().toMillis();
            assertTrue(wait + " ms", wait >= 20 && wait <= 40);
        }
    }

    @Test
    public void maxIsTheCap() {
        assertEquals(Duration.ofSeconds(30), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)).max());
    }

    @Test
    public void refusesFirstNotPositiveOrAboveTheCap() {
        assertEquals(
                "backoff needs 0 < first <= cap, got PT0S and PT1S", message(Duration.ZERO, Duration.ofSeconds(1)));
        assertEquals(
                "backoff needs 0 < first <= cap, got PT-1S and PT1S",
                message(Duration.ofSeconds(-1), Duration.ofSeconds(1)));
        assertEquals(
                "backoff needs 0 < first <= cap, got PT2S and PT1S",
                message(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals("backoff needs 0 < first <= cap, got null and PT1S", message(null, Duration.ofSeconds(1)));
    }

    private static String message(Duration first, Duration cap) {
        return assertThrows(IllegalArgumentException.class, () -> new Backoff(first, cap))
                .getMessage();
    }
}
