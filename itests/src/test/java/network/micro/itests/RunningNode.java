package network.micro.itests;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import network.micro.api.LinkInfo;
import network.micro.api.Node;
import network.micro.api.Peer;
import network.micro.api.Route;
import network.micro.itests.Micro.StreamCollector;

/** A node started from its own copy of the distribution, on free loopback ports, asked over HTTP for its views. */
public final class RunningNode implements AutoCloseable {

    private static final Gson GSON = new Gson();

    public final String id;
    public final String address;
    public final String proxy;
    private final Micro micro;
    private final Process process;
    private final StreamCollector log;

    private RunningNode(String id, String address, String proxy, Micro micro, Process process) {
        this.id = id;
        this.address = address;
        this.proxy = proxy;
        this.micro = micro;
        this.process = process;
        this.log = new StreamCollector(process.getErrorStream());
        new StreamCollector(process.getInputStream());
    }

    /**
     * Starts node {@code id} serving {@code services} (names; each gets one instance on a made-up port).
     *
     * @param flags more flags of {@code micro network}, such as {@code --nodes=...}
     */
    public static RunningNode start(String id, List<String> services, String... flags) throws Exception {
        return startAt(id, "127.0.0.1:" + Distribution.freePort(), services, flags);
    }

    /** Like {@link #start}, with the link address chosen by the caller, so that others can name it first. */
    public static RunningNode startAt(String id, String address, List<String> services, String... flags)
            throws Exception {
        return startAt(id, address, java.util.Map.of(), services, flags);
    }

    /** Like {@link #startAt}, with more environment variables for the node, such as {@code MICRO_JAVA_OPTS}. */
    public static RunningNode startAt(
            String id,
            String address,
            java.util.Map<String, String> environment,
            List<String> services,
            String... flags)
            throws Exception {
        Micro micro = Micro.unzip();
        writeServices(micro.home().resolve("conf/services.json"), id, services);
        String proxy = "127.0.0.1:" + Distribution.freePort();
        List<String> args =
                new ArrayList<>(List.of("network", "--id=" + id, "--address=" + address, "--proxy-address=" + proxy));
        args.addAll(List.of(flags));
        return new RunningNode(id, address, proxy, micro, micro.start(environment, args.toArray(String[]::new)));
    }

    /** Waits until the node serves its views. */
    public RunningNode awaitUp() throws Exception {
        Await.until(id + " serves its views", 15_000, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(id + " exited: " + log.soFar());
            }
            try {
                services();
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    public void setServices(List<String> services) throws IOException {
        Path file = micro.home().resolve("conf/services.json");
        writeServices(file, id, services);
    }

    public List<Route> routes() throws IOException {
        return GSON.fromJson(get("/routes"), new TypeToken<List<Route>>() {}.getType());
    }

    public List<String> services() throws IOException {
        return GSON.fromJson(get("/services"), new TypeToken<List<String>>() {}.getType());
    }

    public List<Node> nodes() throws IOException {
        return GSON.fromJson(get("/nodes"), new TypeToken<List<Node>>() {}.getType());
    }

    public Peer graph() throws IOException {
        return GSON.fromJson(get("/graph"), Peer.class);
    }

    public List<LinkInfo> links() throws IOException {
        return GSON.fromJson(get("/links"), new TypeToken<List<LinkInfo>>() {}.getType());
    }

    /** The routes to {@code service} held now. */
    public List<Route> routesTo(String service) throws IOException {
        return routes().stream().filter(r -> r.service().equals(service)).toList();
    }

    /** Everything the node logged so far. */
    public String log() {
        return log.soFar();
    }

    public Micro micro() {
        return micro;
    }

    /** Kills the node at once, as a crash would: SIGKILL. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The id of the node's process: the JVM's, as {@code bin/micro} execs it. */
    public long pid() {
        return process.pid();
    }

    /** Whether the node's process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private String get(String view) throws IOException {
        return fetch(id, proxy, view);
    }

    /** Asks the node whose proxy listens on {@code proxy} for {@code view}, such as {@code /routes}. */
    public static String fetch(String id, String proxy, String view) throws IOException {
        int colon = proxy.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(proxy.substring(0, colon), Integer.parseInt(proxy.substring(colon + 1))),
                    1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET http://go.micro.network" + view + " HTTP/1.1\r\nHost: go.micro.network\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = readAll(socket.getInputStream());
            if (!response.startsWith("HTTP/1.1 200")) {
                throw new IOException(id + " answered " + response);
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Writes a services file with one instance per name, at a port made up from the node id and the name. */
    public static void writeServices(Path file, String node, List<String> names) throws IOException {
        StringBuilder json = new StringBuilder("{\"services\": [");
        for (int i = 0; i < names.size(); i++) {
            json.append(i == 0 ? "" : ", ")
                    .append("{\"name\": \"")
                    .append(names.get(i))
                    .append("\", \"instances\": [{\"id\": \"")
                    .append(node)
                    .append("-1\", \"address\": \"127.0.0.1:")
                    .append(20000 + Math.floorMod((node + names.get(i)).hashCode(), 20000))
                    .append("\"}]}");
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, json.append("]}\n"), StandardCharsets.UTF_8);
        Files.move(
                temporary,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
