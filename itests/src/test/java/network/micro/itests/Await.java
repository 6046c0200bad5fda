package network.micro.itests;

/** Waits, bounded in time, for a condition of a running system. */
public final class Await {

    public interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {}

    /** Polls {@code condition} every 20 ms; returns the milliseconds it took, or fails after {@code timeoutMillis}. */
    public static long until(String what, long timeoutMillis, Condition condition) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeoutMillis * 1_000_000;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeoutMillis + " ms");
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
