package network.micro.registry.etcd.internal;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A single-member etcd the test starts on loopback, with its own data folder and free ports. */
final class EtcdServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path folder;
    private final int clientPort;
    private final int peerPort;
    private Process process;
    private int starts;

    EtcdServer(Path folder) throws IOException {
        this.folder = folder;
        this.clientPort = freePort();
        this.peerPort = freePort();
    }

    /** The etcd binary on the PATH, or null when etcd is not installed. */
    static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "etcd");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    String address() {
        return "127.0.0.1:" + clientPort;
    }

    /** Starts etcd on a fresh, empty data folder (a restart after {@link #stop} loses every key). */
    void start() throws IOException, InterruptedException {
        starts++;
        Path data = folder.resolve("data-" + starts);
        String peer = "http://127.0.0.1:" + peerPort;
        String client = "http://" + address();
        process = new ProcessBuilder(List.of(
                        binary().toString(),
                        "--name=test",
                        "--data-dir=" + data,
                        "--listen-client-urls=" + client,
                        "--advertise-client-urls=" + client,
                        "--listen-peer-urls=" + peer,
                        "--initial-advertise-peer-urls=" + peer,
                        "--initial-cluster=test=" + peer))
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("etcd-" + starts + ".log").toFile())
                .start();
        awaitHealthy();
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(500))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited with " + process.exitValue() + "; see " + folder);
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address() + "/health"))
                        .timeout(Duration.ofMillis(500))
                        .build();
                String body =
                        http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(50);
        }
        throw new IOException("etcd did not become healthy within " + START_TIMEOUT + "; see " + folder);
    }

    /** Kills etcd at once, as a crash would. */
    void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
