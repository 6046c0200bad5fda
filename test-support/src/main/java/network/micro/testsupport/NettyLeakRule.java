package network.micro.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.rules.TestRule;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Fails a test when Netty's {@link ResourceLeakDetector} reports a leak while it runs.
 *
 * <p>Netty logs each leak as an error starting with {@code LEAK:} on the logger named after {@link
 * ResourceLeakDetector}. With no SLF4J on the class path that logger is a {@code java.util.logging} logger, so this
 * rule adds a handler to it for the duration of the test. A leak is only noticed when its buffer has been collected
 * and a new buffer is tracked afterwards, so the rule collects garbage and allocates a few buffers both before the
 * test (to drain leaks of earlier tests) and after it. Run tests with {@code -Dio.netty.leakDetection.level=paranoid}
 * so that every buffer is tracked.
 *
 * <p>Leaks of an earlier test that surface only during this one are blamed on this one: keep every test class using
 * the rule.
 */
public final class NettyLeakRule implements TestRule {

    private static final String LEAK_LOGGER = ResourceLeakDetector.class.getName();
    private static final int COLLECT_ROUNDS = 3;

    /** Held strongly: {@code java.util.logging} keeps loggers only weakly. */
    private final Logger leakLogger = Logger.getLogger(LEAK_LOGGER);

    @Override
    public Statement apply(Statement base, Description description) {
        return new Statement() {
            @Override
            public void evaluate() throws Throwable {
                collectLeaks();
                LeakCollector collector = new LeakCollector();
                leakLogger.addHandler(collector);
                try {
                    base.evaluate();
                    collectLeaks();
                } finally {
                    leakLogger.removeHandler(collector);
                }
                List<String> leaks = collector.leaks();
                if (!leaks.isEmpty()) {
                    throw new AssertionError(
                            leaks.size() + " Netty leak(s) in " + description.getDisplayName() + ":\n" + leaks.get(0));
                }
            }
        };
    }

    /** Gives the leak detector every chance to report buffers that became garbage unreleased. */
    private static void collectLeaks() throws InterruptedException {
        for (int round = 0; round < COLLECT_ROUNDS; round++) {
            System.gc();
            Thread.sleep(10);
            for (int i = 0; i < 8; i++) {
                ByteBuf heap = ByteBufAllocator.DEFAULT.heapBuffer(16);
                heap.release();
                ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer(16);
                direct.release();
            }
        }
    }

    private static final class LeakCollector extends Handler {

        private final List<String> leaks = new ArrayList<>();

        LeakCollector() {
            setLevel(Level.ALL);
        }

        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (message != null && message.contains("LEAK:")) {
                synchronized (leaks) {
                    leaks.add(message);
                }
            }
        }

        List<String> leaks() {
            synchronized (leaks) {
                return List.copyOf(leaks);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
