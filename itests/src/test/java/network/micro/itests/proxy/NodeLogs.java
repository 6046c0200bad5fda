package network.micro.itests.proxy;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import network.micro.itests.RunningNode;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;

/** Prints the end of every node's log when a test fails, so that a failure on CI says what the nodes saw. */
final class NodeLogs extends TestWatcher {

    private static final int LINES = 60;

    private final Supplier<List<RunningNode>> nodes;

    NodeLogs(Supplier<List<RunningNode>> nodes) {
        this.nodes = nodes;
    }

    @Override
    protected void failed(Throwable e, Description description) {
        for (RunningNode node : nodes.get()) {
            if (node == null) {
                continue;
            }
            List<String> lines = node.log().lines().toList();
            System.out.printf(
                    "---- %s failed; last %d lines of node %s (alive: %s):%n%s%n",
                    description.getMethodName(),
                    LINES,
                    node.id,
                    node.isAlive(),
                    String.join("\n", lines.subList(Math.max(0, lines.size() - LINES), lines.size())));
        }
    }

    /** The nodes that are set, skipping those not started. */
    static List<RunningNode> of(RunningNode... nodes) {
        return java.util.Arrays.stream(nodes).filter(Objects::nonNull).toList();
    }
}
