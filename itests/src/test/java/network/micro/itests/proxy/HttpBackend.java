package network.micro.itests.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP/1.1 server on loopback (the JDK's), named so that answers say who served them:
 *
 * <ul>
 *   <li>{@code GET /hello}: {@code hello from NAME}, with the header {@code Served-By: NAME};
 *   <li>{@code POST /upload}: reads the body comparing it with {@link Pattern}, answers what it found;
 *   <li>{@code GET /download?bytes=N}: the first N bytes of {@link Pattern};
 *   <li>{@code GET /slow?chunks=K&ms=M}: K pieces of 1 KiB of {@link Pattern}, one every M ms.
 * </ul>
 */
final class HttpBackend implements AutoCloseable {

    static final int SLOW_CHUNK = 1024;

    private final String name;
    private final HttpServer server;
    private final ExecutorService threads;

    HttpBackend(String name) throws IOException {
        this.name = name;
        threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "http-backend-" + name);
            thread.setDaemon(true);
            return thread;
        });
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(threads);
        server.createContext("/hello", this::hello);
        server.createContext("/upload", HttpBackend::upload);
        server.createContext("/download", HttpBackend::download);
        server.createContext("/slow", HttpBackend::slow);
        server.start();
    }

    /** {@code 127.0.0.1:PORT}, as a services file names an instance. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void hello(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("hello from " + name + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Served-By", name);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void upload(HttpExchange exchange) throws IOException {
        try (exchange) {
            Pattern.Check check;
            try (InputStream in = exchange.getRequestBody()) {
                check = Pattern.read(in, Long.MAX_VALUE);
            }
            byte[] body = (check.bytes() + " " + Long.toHexString(check.crc()) + " " + check.firstMismatch() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void download(HttpExchange exchange) throws IOException {
        try (exchange) {
            long bytes = Long.parseLong(query(exchange).get("bytes"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, bytes);
            try (OutputStream out = exchange.getResponseBody()) {
                Pattern.write(out, bytes);
            }
        }
    }

    private static void slow(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange);
            int chunks = Integer.parseInt(query.get("chunks"));
            long pause = Long.parseLong(query.get("ms"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, (long) chunks * SLOW_CHUNK);
            OutputStream out = exchange.getResponseBody();
            byte[] buffer = new byte[SLOW_CHUNK];
            for (int i = 0; i < chunks; i++) {
                Pattern.fill((long) i * SLOW_CHUNK, buffer, SLOW_CHUNK);
                out.write(buffer);
                out.flush();
                Thread.sleep(pause);
            }
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                query.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return query;
    }

    /** Closes the listening socket at once, so that new connections are refused. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
