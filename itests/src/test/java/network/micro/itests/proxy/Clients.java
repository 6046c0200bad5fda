package network.micro.itests.proxy;

import static org.junit.Assert.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Clients of a node's proxy: curl, grpc-java, and plain sockets speaking HTTP/1.1 or CONNECT. */
final class Clients {

    static final int TIMEOUT_SECONDS = 20;

    private Clients() {}

    /** Runs curl with {@code args}, bounded in time, with no proxy from the environment; returns its output. */
    static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "--max-time", String.valueOf(TIMEOUT_SECONDS)));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment()
                .keySet()
                .removeIf(name -> name.toLowerCase(Locale.ROOT).endsWith("_proxy"));
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue("curl ended", process.waitFor(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS));
        return new String(out, StandardCharsets.UTF_8);
    }

    /** A plaintext HTTP/2 channel to the proxy at {@code proxy}, naming {@code service} in {@code :authority}. */
    static ManagedChannel grpc(String proxy, String service) {
        InetSocketAddress address = address(proxy);
        return NettyChannelBuilder.forAddress(address.getHostString(), address.getPort())
                .overrideAuthority(service)
                .usePlaintext()
                .build();
    }

    static CallOptions deadline() {
        return CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** A socket connected to {@code proxy} that waits at most {@code timeoutMillis} for each read. */
    static Socket connect(String proxy, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.connect(address(proxy), 2000);
        socket.setSoTimeout(timeoutMillis);
        return socket;
    }

    static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** A response head: status line and headers, names in lower case. */
    record Head(String statusLine, Map<String, String> headers) {

        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        long contentLength() {
            String length = header("content-length");
            return length == null ? -1 : Long.parseLong(length);
        }
    }

    /** Reads a response head, byte by byte so that nothing of the body is consumed. */
    static Head readHead(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (bytes.size() < 64 * 1024) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the stream ended within the response head: " + bytes);
            }
            bytes.write(b);
            if (bytes.size() >= 4 && bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Head(lines[0], headers);
    }

    /** One HTTP/1.1 GET through the forward proxy at {@code proxy}, read whole: head and body as text. */
    static String get(String proxy, String service, String path) throws IOException {
        try (Socket socket = connect(proxy, TIMEOUT_SECONDS * 1000)) {
            write(
                    socket,
                    "GET http://" + service + path + " HTTP/1.1\r\nHost: " + service + "\r\nConnection: close\r\n\r\n");
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
