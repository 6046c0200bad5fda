package network.micro.registry.mdns.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own, joined to the host by a veth pair on a private /30, so that multicast
 * DNS travels only between the test and a peer inside the namespace, and nowhere else. Needs root and iproute2.
 */
final class NetworkNamespace implements AutoCloseable {

    private final String name;
    private final String hostSide;
    private final String hostAddress;
    private final String peerAddress;

    private NetworkNamespace(long id) {
        long tag = id % 100_000;
        this.name = "micro-mdns-" + tag;
        this.hostSide = "mmh" + tag;
        int subnet = (int) (id % 60) * 4;
        this.hostAddress = "10.254.77." + (subnet + 1);
        this.peerAddress = "10.254.77." + (subnet + 2);
    }

    /** Creates the namespace and the link; null, with what failed in {@code why}, where that is not possible. */
    static NetworkNamespace create(List<String> why) {
        NetworkNamespace namespace =
                new NetworkNamespace(ProcessHandle.current().pid());
        String peerSide = "mmp" + namespace.hostSide.substring(3);
        try {
            namespace.run("ip", "netns", "add", namespace.name);
            namespace.run("ip", "link", "add", namespace.hostSide, "type", "veth", "peer", "name", peerSide);
            namespace.run("ip", "link", "set", peerSide, "netns", namespace.name);
            namespace.run("ip", "addr", "add", namespace.hostAddress + "/30", "dev", namespace.hostSide);
            namespace.run("ip", "link", "set", namespace.hostSide, "up");
            namespace.inside("ip", "addr", "add", namespace.peerAddress + "/30", "dev", peerSide);
            namespace.inside("ip", "link", "set", peerSide, "up");
            namespace.inside("ip", "link", "set", "lo", "up");
            return namespace;
        } catch (IOException e) {
            why.add(e.getMessage());
            namespace.close();
            return null;
        }
    }

    /** The address of the host's end of the link. */
    String hostAddress() {
        return hostAddress;
    }

    /** The address of the namespace's end of the link. */
    String peerAddress() {
        return peerAddress;
    }

    /** A command line that runs {@code command} inside the namespace. */
    List<String> command(String... command) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", name));
        line.addAll(List.of(command));
        return line;
    }

    private void inside(String... command) throws IOException {
        run(command(command).toArray(String[]::new));
    }

    private void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        try {
            run("ip", "link", "del", hostSide);
        } catch (IOException e) {
            // Never created, or gone with the namespace.
        }
        try {
            run("ip", "netns", "del", name);
        } catch (IOException e) {
            // Never created.
        }
    }
}
